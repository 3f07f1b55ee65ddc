using System;
using System.Buffers;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// A UDP listener. Echo answers each datagram to its sender. Relay writes each datagram to the output and sends
// each read of input as one datagram to the peer heard from most recently (input is not read until a peer
// has spoken, so nothing typed early is thrown away).
internal sealed class UdpServer
{
    private const int MaxDatagram = 65535;

    private readonly Socket _socket;
    private readonly ListenerOptions _options;
    private readonly SessionRecorder? _recorder;
    private readonly ListenerTally _tally;
    private readonly TaskCompletionSource<bool> _firstPeer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private EndPoint? _lastPeer;
    private long _sent;

    public UdpServer(Socket socket, ListenerOptions options, ListenerTally tally, SessionRecorder? recorder = null)
    {
        _socket = socket;
        _tally = tally;
        _options = options;
        _recorder = recorder;
    }

    public async Task<ListenerResult> RunAsync(Stream? input, Stream? output, IEventSink sink, CancellationToken ct)
    {
        if (_options.Mode == ListenerMode.Forward) return await new UdpForward(_socket, _options, _tally).RunAsync(sink, ct).ConfigureAwait(false);
        bool echo = _options.Mode == ListenerMode.Echo;
        // Ends when input does, or when the listener closes the socket.
        if (!echo && input is not null) _ = BlockingThread.RunAsync("nsock input->udp", () => PumpInput(input));

        byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxDatagram);
        EndPoint any = _socket.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);
        long datagrams = 0, rejected = 0, received = 0;
        try
        {
            while (_options.Count is not long limit || datagrams < limit)
            {
                int n;
                EndPoint from;
                try
                {
                    (n, from) = await SocketIo.ReceiveFromAsync(_socket, buffer, any, ct).ConfigureAwait(false);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset || e.SocketErrorCode == SocketError.MessageSize)
                {
                    // Windows reports an earlier send's ICMP port-unreachable here; an oversize datagram is
                    // one sender's problem. Neither may stop the listener.
                    continue;
                }

                if (!_options.Filter.IsOpen && from is IPEndPoint ip && _options.Filter.RefusalReason(ip.Address) is string reason)
                {
                    rejected++;
                    sink.Emit(new ClientRejected(PeerName.Of(from), reason));
                    continue;
                }
                datagrams++;
                _recorder?.Record(sent: false, 0, received, buffer, 0, n);
                received += n;
                _tally.Datagram();
                _tally.Received(n);
                if (_options.ReportDatagrams) sink.Emit(new DatagramReceived(PeerName.Of(from), n));

                if (echo)
                {
                    try
                    {
                        await SocketIo.SendToAsync(_socket, buffer, 0, n, from, ct).ConfigureAwait(false);
                        _recorder?.Record(sent: true, 0, _sent, buffer, 0, n);
                        _sent += n;
                        _tally.Sent(n);
                    }
                    catch (SocketException)
                    {
                        // The sender vanished or its network is down: its loss, not the listener's.
                    }
                }
                else
                {
                    output?.Write(buffer, 0, n);
                    output?.Flush();
                    Volatile.Write(ref _lastPeer, from);
                    _firstPeer.TrySetResult(true);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return new ListenerResult(datagrams, rejected, received, Interlocked.Read(ref _sent), null);
    }

    private void PumpInput(Stream input)
    {
        _firstPeer.Task.Wait();
        byte[] buffer = new byte[MaxDatagram - 28];
        try
        {
            int n;
            while ((n = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                _socket.SendTo(buffer, 0, n, SocketFlags.None, Volatile.Read(ref _lastPeer)!);
                _recorder?.Record(sent: true, 0, Interlocked.Read(ref _sent), buffer, 0, n);
                Interlocked.Add(ref _sent, n);
                _tally.Sent(n);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // Input or the socket is gone; datagrams keep arriving until the listener is stopped.
        }
    }
}
