using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// Relay mode with --keep-open, as ncat -k does it: what every client sends goes to the one output (a chunk at
// a time, never interleaved inside a chunk), and input goes to every client connected at that moment. The end
// of input is not passed on: clients stay open, since later clients could never be told anything anyway.
internal sealed class BroadcastHandler : IClientHandler
{
    private const int BufferSize = 64 * 1024;

    private readonly Stream? _input;
    private readonly Stream? _output;
    private readonly object _outputLock = new();
    private readonly List<Member> _members = new();
    private int _inputStarted;

    public BroadcastHandler(Stream? input, Stream? output)
    {
        _input = input;
        _output = output;
    }

    public async Task<ClientOutcome?> ServeAsync(Socket client, ClientContext context, CancellationToken ct)
    {
        StartInputOnce();
        var member = new Member(client);
        lock (_members) _members.Add(member);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long start = Stopwatch.GetTimestamp();
        long received = 0;
        string? error = null;
        try
        {
            while (true)
            {
                int n = await SocketIo.ReceiveAsync(client, buffer, 0, buffer.Length, ct).ConfigureAwait(false);
                if (n == 0) break;
                if (_output is not null)
                {
                    lock (_outputLock) _output.Write(buffer, 0, n);
                }
                received += n;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            error = "listener stopped";
        }
        catch (Exception e)
        {
            error = SocketErrors.FromIo(e, "relay").Message;
        }
        finally
        {
            lock (_members) _members.Remove(member);
            lock (member) client.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return new ClientOutcome(received, Interlocked.Read(ref member.Sent), (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency, error);
    }

    private void StartInputOnce()
    {
        if (_input is null || Interlocked.Exchange(ref _inputStarted, 1) != 0) return;
        _ = BlockingThread.RunAsync("nsock input->clients", PumpInput);
    }

    private void PumpInput()
    {
        byte[] buffer = new byte[BufferSize];
        var snapshot = new List<Member>();
        try
        {
            int n;
            while ((n = _input!.Read(buffer, 0, buffer.Length)) > 0)
            {
                snapshot.Clear();
                lock (_members) snapshot.AddRange(_members);
                foreach (Member m in snapshot) m.TrySend(buffer, n);
            }
        }
        catch (IOException)
        {
            // Input failed: clients keep being served, they just get nothing more from it.
        }
    }

    private sealed class Member
    {
        public long Sent;
        private readonly Socket _socket;

        public Member(Socket socket) => _socket = socket;

        // A client that cannot take input is dropped from broadcasting; its receive loop notices the close.
        public void TrySend(byte[] buffer, int count)
        {
            lock (this)
            {
                try
                {
                    int offset = 0;
                    while (offset < count) offset += _socket.Send(buffer, offset, count - offset, SocketFlags.None);
                    Interlocked.Add(ref Sent, count);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    try { _socket.Shutdown(SocketShutdown.Both); } catch (Exception) { /* already gone */ }
                }
            }
        }
    }
}
