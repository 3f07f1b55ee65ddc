using System.Globalization;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>Send-SocketData and Receive-SocketData parameters to engine options, as <c>nsock send</c> and <c>nsock recv</c> build them.</summary>
internal static class TransferOptionsMapper
{
    public static Endpoint SendEndpoint(TransferParameters p) => EndpointMapper.ForConnect(p.Endpoint, p.ComputerName, p.Port, p.Udp);

    /// <summary>Connect within -Timeout (10 s); after sending, wait -Timeout for the peer (0: for ever).</summary>
    public static SendOptions Send(TransferParameters p) => new()
    {
        Connect = Timeouts.Connect(p.Timeout, IpVersions.From(p.IPv4, p.IPv6)),
        ReplyTimeout = Timeouts.OrInfinite(Timeouts.OrDefault(p.Timeout)),
    };

    /// <summary>A stream endpoint: reading until a condition has no meaning for datagrams.</summary>
    public static Endpoint ReceiveEndpoint(TransferParameters p)
    {
        Endpoint ep = EndpointMapper.ParseTarget(p.Endpoint, p.ComputerName, p.Port, Transport.Tcp, null);
        if (ep.Transport == Transport.Udp)
            throw BadInput.Error("Receive-SocketData reads a stream (tcp or unix); for UDP use Send-SocketData -Udp -Reply or New-SocketListener -Udp");
        Connector.ValidateForConnect(ep);
        return ep;
    }

    public static ConnectOptions Connect(TransferParameters p) => Timeouts.Connect(p.Timeout, IpVersions.From(p.IPv4, p.IPv6));

    /// <summary>Stop after -MaxBytes, after -Until, or when the peer closes; give up after -Timeout of silence.</summary>
    public static ReceiveOptions Receive(TransferParameters p)
    {
        if (p.MaxBytes is < 0) throw BadInput.Error($"-MaxBytes must be 0 or more, not {p.MaxBytes}");
        if (p.Until is { Length: 0 }) throw BadInput.Error("-Until is empty");
        return new ReceiveOptions { MaxBytes = p.MaxBytes, Until = p.Until, IdleTimeout = Timeouts.OrDefault(p.Timeout) };
    }

    /// <summary>As <c>nsock recv</c>: silence before the condition is a timeout, a close before -MaxBytes/-Until an I/O error.</summary>
    public static NsockException? Outcome(ReceiveResult result, ReceiveOptions options)
    {
        bool asked = options.MaxBytes is not null || options.Until is not null;
        string what = options.Until is not null ? "the delimiter" : asked ? $"{options.MaxBytes} bytes" : "the peer to close";
        if (result.End == ReceiveEnd.IdleTimeout)
        {
            string seconds = options.IdleTimeout!.Value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            return new NsockException(NsockErrorKind.TimedOut, $"timed out after {seconds}s of silence waiting for {what} ({result.Bytes} bytes received)");
        }
        if (result.End == ReceiveEnd.PeerClosed && asked)
            return new NsockException(NsockErrorKind.Io, $"the peer closed after {result.Bytes} bytes, before {(options.Until is not null ? "the delimiter arrived" : $"{options.MaxBytes} bytes")}");
        return null;
    }

    /// <summary>The object Send-SocketData writes: the engine's result, where it connected, and the reply kept with -Reply.</summary>
    public static SocketSendResult ToResult(SendResult r, Endpoint ep, string? local, CaptureStream? reply, System.Text.Encoding encoding)
    {
        byte[]? replyBytes = reply?.ToArray();
        return new SocketSendResult
        {
            Remote = r.Remote,
            Local = local,
            Transport = ep.Transport.ToString().ToLowerInvariant(),
            BytesSent = r.BytesSent,
            BytesReceived = r.BytesReceived,
            Datagrams = r.Datagrams,
            Seconds = r.Seconds,
            PeerClosed = r.PeerClosed,
            Reply = replyBytes,
            ReplyText = replyBytes is null ? null : encoding.GetString(replyBytes),
            ReplyDatagrams = ep.Transport == Transport.Udp ? reply?.Segments : null,
        };
    }

    /// <summary>The object Receive-SocketData writes (without -Stream).</summary>
    public static SocketReceiveResult ToResult(ReceiveResult r, Endpoint ep, Connected? connected, byte[]? data, string? path, System.Text.Encoding encoding) => new()
    {
        Remote = connected?.Remote ?? ep.ToString(),
        Local = connected?.Local,
        Transport = ep.Transport.ToString().ToLowerInvariant(),
        Bytes = r.Bytes,
        Seconds = r.Seconds,
        End = r.End,
        Data = data,
        Text = data is null ? null : encoding.GetString(data),
        Path = path,
    };
}
