using System;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// Something that happened at a listener, as New-SocketListener writes it: <see cref="Event"/> is ready,
/// connected, closed, rejected, datagram, data, file, dropped, join, leave, message, nick, forwarded, tls or stopped (the engine's event names, plus data for bytes a
/// client sent and stopped for the end). Fields that do not apply to an event are null.
/// </summary>
public sealed class SocketListenerEvent
{
    /// <summary>Creates an event record.</summary>
    public SocketListenerEvent(DateTime timeStamp, string @event)
    {
        TimeStamp = timeStamp;
        Event = @event;
    }

    /// <summary>When the pipeline received it (local time).</summary>
    public DateTime TimeStamp { get; }

    /// <summary>ready, connected, closed, rejected, datagram, data, file, dropped, join, leave, message, nick, forwarded, tls or stopped.</summary>
    public string Event { get; }

    /// <summary>The client's number (connected, closed).</summary>
    public long? Client { get; set; }

    /// <summary>The peer, e.g. <c>127.0.0.1:50123</c> or <c>[::1]:50123</c>.</summary>
    public string? Remote { get; set; }

    /// <summary>The listener's side: its endpoint for ready, the accepting address for connected.</summary>
    public string? Local { get; set; }

    /// <summary>The real port the listener is bound to (ready).</summary>
    public int? Port { get; set; }

    /// <summary>Bytes: of the data or datagram, received from the client (closed), of the file (file).</summary>
    public long? Bytes { get; set; }

    /// <summary>Bytes sent to the client (closed).</summary>
    public long? BytesSent { get; set; }

    /// <summary>How long the client was connected, or the file took (seconds).</summary>
    public double? Seconds { get; set; }

    /// <summary>Why: a rejection's reason, a connection's error, a file's status, why the listener stopped.</summary>
    public string? Detail { get; set; }

    /// <summary>The bytes a client sent (data).</summary>
    public byte[]? Data { get; set; }

    /// <summary><see cref="Data"/> decoded with -Encoding (data); the line said (message, as sent: the views escape it).</summary>
    public string? Text { get; set; }

    /// <summary>The chat name of the client (join, leave, message, nick: the new name).</summary>
    public string? Name { get; set; }

    /// <summary>The engine's own record of the event, with every field it has.</summary>
    public NsockEvent? Record { get; set; }

    /// <summary>What a TLS handshake settled (the shape of Send-SocketData's Tls): on tls, the client's handshake with a
    /// -UseTls listener (ServerName: the name it asked for; Subject, Issuer, Sha256Fingerprint: its certificate, with
    /// -ClientCertificateAuthorityPath); on forwarded, the handshake with a -ForwardTo tls://host:port target.</summary>
    public TlsInfo? Tls { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"{Event} {Remote ?? Local}".Trim();
}
