using System;
using System.Buffers;
using System.Collections.Generic;
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
    private sealed class StreamSession : ForwardSession
    {
        private readonly Queue<(byte[] Bytes, int Length)> _queue = new();
        private int _queued;
        private long _dropped;

        public StreamSession(UdpForward owner, long id, EndPoint client, string remote, Socket target, IEventSink sink)
            : base(owner, id, client, remote, target, sink)
        {
        }

        private string What => $"target {Owner._options.ForwardTo}";

        public override void Start()
        {
            _ = BlockingThread.RunAsync("nsock udp->stream", Write);
            _ = BlockingThread.RunAsync("nsock stream->udp", () => Down(StreamDatagramBytes, streamTarget: true, What));
        }

        // On the listener's receive loop: never blocks on the target, only queues a copy.
        public override void Up(byte[] buffer, int n)
        {
            Touch();
            if (n == 0) return; // an empty datagram is nothing in a stream
            lock (_queue)
            {
                if (Ended) return;
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
                        while (_queue.Count == 0 && !Ended) Monitor.Wait(_queue);
                        if (Ended) return;
                        next = _queue.Dequeue(); // this thread owns the copy now; Ending returns only those still queued
                    }
                    try
                    {
                        int off = 0;
                        while (off < next.Length) off += Target.Send(next.Bytes, off, next.Length - off, SocketFlags.None);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(next.Bytes);
                        lock (_queue) _queued -= next.Length;
                    }
                    CountUp(next.Length);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                End(Ended ? null : SocketErrors.FromIo(e, What).Message);
            }
        }

        protected override string? Ending(string? error)
        {
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
            return error is null && dropped > 0 ? $"{dropped} datagrams dropped: the target read slower than they came ({StreamQueueBytes} bytes queued)" : error;
        }
    }
}
