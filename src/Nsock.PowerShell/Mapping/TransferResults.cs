using System.Globalization;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>The objects Send-SocketData and Receive-SocketData write, from the engine's results (the rules are the requests').</summary>
internal static class TransferResults
{
    /// <summary>The object Send-SocketData writes: the engine's result, where it connected, and the reply kept with -Reply.</summary>
    public static SocketSendResult Send(SendResult r, Endpoint ep, string? local, CaptureStream? reply, System.Text.Encoding encoding)
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
    public static SocketReceiveResult Receive(ReceiveResult r, Endpoint ep, Connected? connected, byte[]? data, string? path, System.Text.Encoding encoding) => new()
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
