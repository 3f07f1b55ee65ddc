using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace Nsock.Core;

internal sealed partial class UdpForward
{
    /// <summary>The most bytes of the target's stream one datagram back carries: socat's default block size (-b 8192).</summary>
    public const int StreamDatagramBytes = 8192;

    /// <summary>
    /// Bytes of datagrams waiting for a slow stream target, per session; a datagram beyond it is dropped, as a full
    /// socket buffer drops it, so one slow target never holds up the listener's other sessions.
    /// </summary>
    public const int StreamQueueBytes = 1024 * 1024;

    // One client address forwarded to a stream (socat UDP-RECVFROM,fork TCP:target): each datagram's payload is written
    // to its connection as it is (no framing: the target sees one byte stream), and what the target sends is cut into
    // datagrams of at most StreamDatagramBytes back to the client. Ends after IdleTimeout without a datagram either
    // way, when the target closes its stream (UDP cannot pass the end on: the next datagram opens a new connection),
    // or with the listener.
    private sealed class StreamSession : ISession
    {
        private readonly UdpForward _owner;
        private readonly long _id;
        private readonly EndPoint _client;
        private readonly string _remote;
        private readonly Socket _target;
        private readonly IEventSink _sink;
        private readonly long _start = Stopwatch.GetTimestamp();
        private readonly Queue<(byte[] Bytes, int Length)> _queue = new();
        private int _queued;
        private long _lastActivity;
        private long _up;
        private long _down;
        private long _dropped;
        private int _ended;

        public StreamSession(UdpForward owner, long id, EndPoint client, string remote, Socket target, IEventSink sink)
        {
            _owner = owner;
            _id = id;
            _client = client;
            _remote = remote;
            _target = target;
            _sink = sink;
            _lastActivity = _start;
        }

        public void Start()
        {
            _ = BlockingThread.RunAsync("nsock udp->stream", Write);
            _ = BlockingThread.RunAsync("nsock stream->udp", Down);
        }

        // On the listener's receive loop: never blocks on the target, only queues a copy.
        public void Up(byte[] buffer, int n)
        {
            Volatile.Write(ref _lastActivity, Stopwatch.GetTimestamp());
            if (n == 0) return; // an empty datagram is nothing in a stream
            lock (_queue)
            {
                if (Volatile.Read(ref _ended) != 0) return;
                if (_queued + n > StreamQueueBytes)
                {
                    _dropped++;
                    return;
                }
                byte[] copy = ArrayPool<byte>.Shared.Rent(n);
                Buffer.BlockCopy(buffer, 0, copy, 0, n);
                _queue.Enqueue((copy, n));
                _queued += n;
                Monitor.Pulse(_queue);
            }
        }

        // Writes the queued datagrams to the target in order, until the session ends.
        private void Write()
        {
            try
            {
                while (true)
                {
                    (byte[] Bytes, int Length) next;
                    lock (_queue)
                    {
                        while (_queue.Count == 0 && Volatile.Read(ref _ended) == 0) Monitor.Wait(_queue);
                        if (Volatile.Read(ref _ended) != 0) return;
                        next = _queue.Dequeue(); // this thread owns the copy now; End returns only those still queued
                    }
                    try
                    {
                        int off = 0;
                        while (off < next.Length) off += _target.Send(next.Bytes, off, next.Length - off, SocketFlags.None);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(next.Bytes);
                        lock (_queue) _queued -= next.Length;
                    }
                    Interlocked.Add(ref _up, next.Length);
                    Volatile.Write(ref _lastActivity, Stopwatch.GetTimestamp());
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                End(Volatile.Read(ref _ended) != 0 ? null : SocketErrors.FromIo(e, $"target {_owner._options.ForwardTo}").Message);
            }
        }

        // The target's bytes back to the client, a datagram per read, until the target ends or the session is quiet.
        private void Down()
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(StreamDatagramBytes);
            try
            {
                _target.ReceiveTimeout = (int)Math.Min(1000, Math.Max(50, _owner._idle.TotalMilliseconds / 4));
                while (Volatile.Read(ref _ended) == 0)
                {
                    int n;
                    try
                    {
                        n = _target.Receive(buffer, 0, StreamDatagramBytes, SocketFlags.None);
                    }
                    catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
                    {
                        if (Elapsed(Volatile.Read(ref _lastActivity)) >= _owner._idle) break;
                        continue;
                    }
                    if (n == 0) break; // the target ended its stream: so does the session
                    _owner._socket.SendTo(buffer, 0, n, SocketFlags.None, _client);
                    Interlocked.Add(ref _down, n);
                    Interlocked.Add(ref _owner._sent, n);
                    Volatile.Write(ref _lastActivity, Stopwatch.GetTimestamp());
                }
                End(null);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                End(Volatile.Read(ref _ended) != 0 ? null : SocketErrors.FromIo(e, $"target {_owner._options.ForwardTo}").Message);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        public void End(string? error)
        {
            if (Interlocked.Exchange(ref _ended, 1) != 0) return;
            lock (_owner._sessions) _owner._sessions.Remove(_client);
            long dropped;
            lock (_queue)
            {
                // Bytes still queued for the target are lost with the session, as a closed socket's would be.
                while (_queue.Count > 0)
                {
                    (byte[] bytes, int length) = _queue.Dequeue();
                    _queued -= length;
                    ArrayPool<byte>.Shared.Return(bytes);
                }
                dropped = _dropped;
                Monitor.PulseAll(_queue);
            }
            _target.Dispose();
            if (error is null && dropped > 0) error = $"{dropped} datagrams dropped: the target read slower than they came ({StreamQueueBytes} bytes queued)";
            _sink.Emit(new ClientClosed(_id, _remote, Interlocked.Read(ref _up), Interlocked.Read(ref _down), Elapsed(_start).TotalSeconds, error));
        }

        private static TimeSpan Elapsed(long since) => TimeSpan.FromSeconds((Stopwatch.GetTimestamp() - since) / (double)Stopwatch.Frequency);
    }
}
