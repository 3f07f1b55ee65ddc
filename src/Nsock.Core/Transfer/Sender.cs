using System;
using System.Buffers;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

/// <summary>
/// Connects, sends everything from a stream, half-closes, and (when a reply stream is given) copies what comes
/// back until the peer closes or is silent for <see cref="SendOptions.ReplyTimeout"/>. Over UDP each read of the
/// data is one datagram, and replies are awaited until as many came back as were sent.
/// </summary>
internal static class Sender
{
    private const int MaxDatagram = 65507;

    /// <summary>Sends <paramref name="data"/> to <paramref name="endpoint"/>; replies go to <paramref name="reply"/> (null: discarded).</summary>
    public static async Task<SendResult> SendAsync(Endpoint endpoint, Stream data, Stream? reply, SendOptions options, IEventSink sink, CancellationToken ct)
    {
        Socket socket = await Connector.ConnectAsync(endpoint, options.Connect, ct).ConfigureAwait(false);
        Connected connected = Connected.To(endpoint, socket, options.Connect);
        string remote = connected.Remote;
        sink.Emit(connected);
        Stream? wire = options.Tls is null ? null : await options.Tls.StartAsync(socket, endpoint, sink, ct).ConfigureAwait(false);
        if (endpoint.Transport == Transport.Udp)
        {
            using (socket)
            using (SessionRecorder? recorder = SessionRecorder.Open(options.HexDumpPath, options.OutputPath))
            {
                if (options.Crlf) data = new CrlfInputStream(data);
                if (options.LineDelay is TimeSpan delay) data = new PacedLineStream(data, delay, ct);
                return await SendDatagramsAsync(socket, remote, data, reply, options, recorder, ct).ConfigureAwait(false);
            }
        }

        // The peer's answer is read even when nobody wants it: closing with unread data would reset the
        // connection, and a reset can destroy the tail of what was just sent before the peer read it.
        var relay = new RelayOptions
        {
            Direction = reply is null ? RelayDirection.SendOnly : RelayDirection.Both,
            IdleTimeout = options.ReplyTimeout,
            PeerClosedGrace = RelayOptions.DefaultPeerClosedGrace,
            Crlf = options.Crlf,
            LineDelay = options.LineDelay,
            HexDumpPath = options.HexDumpPath,
            OutputPath = options.OutputPath,
        };
        RelayResult r = await StreamRelay.RunAsync(socket, data, reply, relay, ct, wire).ConfigureAwait(false);
        if (r.End == RelayEnd.Failed) throw r.Error!;
        return new SendResult(remote, r.BytesSent, r.BytesReceived, 0, r.Seconds, r.End == RelayEnd.Completed);
    }

    private static async Task<SendResult> SendDatagramsAsync(Socket socket, string remote, Stream data, Stream? reply, SendOptions options, SessionRecorder? recorder, CancellationToken ct)
    {
        long start = Stopwatch.GetTimestamp();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(65536);
        long sent = 0, received = 0, datagrams = 0, replies = 0;
        try
        {
            int n;
            while ((n = await data.ReadAsync(buffer, 0, MaxDatagram, ct).ConfigureAwait(false)) > 0)
            {
                recorder?.Record(sent: true, 0, sent, buffer, 0, n); // before the send: the answer may be recorded before it returns
                await SocketIo.SendAllAsync(socket, buffer, 0, n, ct).ConfigureAwait(false);
                sent += n;
                datagrams++;
            }
            if (datagrams == 0)
            {
                // Empty data is still a message in UDP: one empty datagram (what probes and pings of services send).
                socket.Send(Array.Empty<byte>());
                datagrams = 1;
            }
            if (reply is not null)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
                while (replies < datagrams)
                {
                    idle.CancelAfter(options.ReplyTimeout);
                    try
                    {
                        n = await SocketIo.ReceiveAsync(socket, buffer, 0, buffer.Length, idle.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        break;
                    }
                    recorder?.Record(sent: false, 0, received, buffer, 0, n);
                    await reply.WriteAsync(buffer, 0, n, ct).ConfigureAwait(false);
                    await reply.FlushAsync(ct).ConfigureAwait(false);
                    received += n;
                    replies++;
                }
            }
        }
        catch (SocketException e)
        {
            // On a connected UDP socket an ICMP port-unreachable arrives as "connection refused".
            throw SocketErrors.ClassifyUdp(e, $"udp to {remote}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return new SendResult(remote, sent, received, datagrams, (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency, reply is not null && replies >= datagrams);
    }
}
