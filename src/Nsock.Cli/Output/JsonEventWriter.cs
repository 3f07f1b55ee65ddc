using System;
using System.Buffers;
using System.Collections.Generic;
using System.Net.Sockets;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary>
/// Writes an event as one line of JSON (--json), field by field with <see cref="Utf8JsonWriter"/>.
/// Why by hand: System.Text.Json's serializer, even source-generated, put 1.2 MB into the 8.5 MB native binary
/// (its metadata, converters and the reflection they pull in); the writer alone costs 66 KB. The shape is the one the
/// serializer wrote (camelCase names, "event" first, null fields left out, engine states by their printed word or enum
/// name) and is pinned against it: JsonEventWriterTests serializes every event type both ways and compares the bytes.
/// A new event type needs a case here; that test fails until it has one.
/// </summary>
internal sealed class JsonEventWriter
{
    // Escaped: only what JSON itself requires (quotes, backslashes, control characters, so a peer's terminal escape
    // stays inert). The default encoder also escapes HTML's characters and everything past ASCII, which turned a key
    // pin's '+' into \u002B and an 'é' into \u00E9: right for a web page, not for lines people grep. The lines are UTF-8.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;

    public JsonEventWriter() => _writer = new Utf8JsonWriter(_buffer, Options);

    /// <summary>The event as one line of JSON text (without the line break). Not thread-safe: the reporter holds its lock.</summary>
    public string ToLine(NsockEvent e)
    {
        _buffer.Clear();
        _writer.Reset();
        Write(_writer, e);
        _writer.Flush();
        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter w, NsockEvent e)
    {
        w.WriteStartObject();
        w.WriteString("event", e.Event);
        switch (e)
        {
            case ListenerReady r:
                w.WriteString("transport", r.Transport.ToText());
                w.WriteString("address", r.Address);
                w.WriteNumber("port", r.Port);
                w.WriteString("endpoint", r.Endpoint);
                Text(w, "tlsCertificateSha256", r.TlsCertificateSha256);
                Text(w, "tlsKeyPin", r.TlsKeyPin);
                Time(w, "tlsNotAfter", r.TlsNotAfter);
                break;
            case ClientConnected c:
                w.WriteNumber("client", c.Client);
                w.WriteString("remote", c.Remote);
                w.WriteString("local", c.Local);
                break;
            case ClientRejected c:
                w.WriteString("remote", c.Remote);
                w.WriteString("reason", c.Reason);
                break;
            case ClientClosed c:
                w.WriteNumber("client", c.Client);
                w.WriteString("remote", c.Remote);
                w.WriteNumber("bytesReceived", c.BytesReceived);
                w.WriteNumber("bytesSent", c.BytesSent);
                w.WriteNumber("seconds", c.Seconds);
                Text(w, "error", c.Error);
                break;
            case DatagramReceived d:
                w.WriteString("remote", d.Remote);
                w.WriteNumber("bytes", d.Bytes);
                break;
            case Connected c:
                w.WriteString("remote", c.Remote);
                w.WriteString("local", c.Local);
                w.WriteString("transport", c.Transport.ToText());
                Text(w, "via", c.Via);
                break;
            case HostInfo h:
                w.WriteString("query", h.Query);
                w.WriteString("canonicalName", h.CanonicalName);
                Texts(w, "aliases", h.Aliases);
                Texts(w, "addresses", h.Addresses);
                break;
            case SendResult s:
                w.WriteString("remote", s.Remote);
                w.WriteNumber("bytesSent", s.BytesSent);
                w.WriteNumber("bytesReceived", s.BytesReceived);
                w.WriteNumber("datagrams", s.Datagrams);
                w.WriteNumber("seconds", s.Seconds);
                w.WriteBoolean("peerClosed", s.PeerClosed);
                break;
            case ReceiveResult r:
                w.WriteNumber("bytes", r.Bytes);
                w.WriteNumber("seconds", r.Seconds);
                w.WriteString("end", Name(r.End));
                break;
            case ErrorReport r:
                w.WriteString("kind", r.Kind);
                w.WriteString("message", r.Message);
                w.WriteNumber("exitCode", r.ExitCode);
                break;
            case PingReply p:
                w.WriteNumber("seq", p.Seq);
                w.WriteNumber("bytes", p.Bytes);
                w.WriteNumber("rttMs", p.RttMs);
                w.WriteString("from", p.From);
                w.WriteString("protocol", p.Protocol.ToText());
                Number(w, "tlsMs", p.TlsMs);
                break;
            case PingLost p:
                w.WriteNumber("seq", p.Seq);
                w.WriteString("reason", p.Reason);
                break;
            case PingSummary p:
                WritePingSummary(w, p);
                break;
            case PortProbeResult p:
                w.WriteString("target", p.Target);
                Text(w, "address", p.Address);
                w.WriteNumber("port", p.Port);
                w.WriteString("protocol", p.Protocol.ToText());
                w.WriteString("state", Name(p.State));
                Number(w, "latencyMs", p.LatencyMs);
                Text(w, "detail", p.Detail);
                if (p.Tls is not null) WriteTlsCheck(w, p.Tls);
                w.WriteString("stateText", p.StateText);
                break;
            case HttpJson h:
                WriteHttp(w, h);
                break;
            case FileStarted f:
                w.WriteString("path", f.Path);
                w.WriteNumber("size", f.Size);
                w.WriteNumber("offset", f.Offset);
                break;
            case FileProgress f:
                w.WriteString("path", f.Path);
                w.WriteNumber("bytes", f.Bytes);
                w.WriteNumber("size", f.Size);
                w.WriteNumber("bytesPerSecond", f.BytesPerSecond);
                w.WriteNumber("totalBytes", f.TotalBytes);
                w.WriteNumber("totalSize", f.TotalSize);
                break;
            case FileResult f:
                WriteFileResult(w, f);
                break;
            case ClientDropped c:
                w.WriteNumber("client", c.Client);
                w.WriteString("remote", c.Remote);
                w.WriteString("reason", c.Reason);
                break;
            case ChatJoined c:
                w.WriteNumber("client", c.Client);
                w.WriteString("remote", c.Remote);
                w.WriteString("name", c.Name);
                break;
            case ChatLeft c:
                w.WriteNumber("client", c.Client);
                w.WriteString("name", c.Name);
                Text(w, "reason", c.Reason);
                break;
            case ChatMessage c:
                w.WriteNumber("client", c.Client);
                w.WriteString("name", c.Name);
                w.WriteString("text", c.Text);
                break;
            case ChatRenamed c:
                w.WriteNumber("client", c.Client);
                w.WriteString("oldName", c.OldName);
                w.WriteString("name", c.Name);
                break;
            case ClientForwarded c:
                w.WriteNumber("client", c.Client);
                w.WriteString("remote", c.Remote);
                w.WriteString("target", c.Target);
                Text(w, "local", c.Local);
                if (c.Tls is not null) WriteTlsInfo(w, "tls", c.Tls);
                break;
            case SocketConnection c:
                WriteConnectionFields(w, c);
                break;
            case ConnectionChange c:
                w.WriteString("change", Name(c.Change));
                w.WritePropertyName("connection");
                w.WriteStartObject();
                w.WriteString("event", c.Connection.Event);
                WriteConnectionFields(w, c.Connection);
                w.WriteEndObject();
                if (c.PreviousState is ConnectionState previous) w.WriteString("previousState", Name(previous));
                w.WriteString("time", c.Time);
                break;
            case ListenerStatistics s:
                w.WriteNumber("clientsNow", s.ClientsNow);
                w.WriteNumber("clients", s.Clients);
                w.WriteNumber("rejected", s.Rejected);
                w.WriteNumber("bytesReceived", s.BytesReceived);
                w.WriteNumber("bytesSent", s.BytesSent);
                w.WriteNumber("datagrams", s.Datagrams);
                w.WriteNumber("filesReceived", s.FilesReceived);
                w.WriteNumber("filesServed", s.FilesServed);
                w.WriteNumber("errors", s.Errors);
                w.WriteNumber("seconds", s.Seconds);
                w.WriteBoolean("final", s.Final);
                break;
            case TlsNegotiated t:
                WriteTlsInfo(w, "tls", t.Tls);
                break;
            case ClientTlsNegotiated t:
                w.WriteNumber("client", t.Client);
                w.WriteString("remote", t.Remote);
                WriteTlsInfo(w, "tls", t.Tls);
                break;
            default:
                // A bug, caught by JsonEventWriterTests before it ships: say which event, never write half an object.
                throw new InvalidOperationException($"no JSON shape for the event {e.GetType().Name}");
        }
        w.WriteEndObject();
    }

    private static void WritePingSummary(Utf8JsonWriter w, PingSummary p)
    {
        w.WriteString("target", p.Target);
        w.WriteString("address", p.Address);
        w.WriteString("protocol", p.Protocol.ToText());
        w.WriteNumber("sent", p.Sent);
        w.WriteNumber("received", p.Received);
        w.WriteNumber("refused", p.Refused);
        w.WriteNumber("lossPercent", p.LossPercent);
        Number(w, "minMs", p.MinMs);
        Number(w, "avgMs", p.AvgMs);
        Number(w, "maxMs", p.MaxMs);
        Number(w, "stdDevMs", p.StdDevMs);
        Number(w, "jitterMs", p.JitterMs);
        Number(w, "p50Ms", p.P50Ms);
        Number(w, "p90Ms", p.P90Ms);
        Number(w, "p99Ms", p.P99Ms);
        w.WriteNumber("duplicates", p.Duplicates);
        w.WriteNumber("reordered", p.Reordered);
        w.WriteNumber("late", p.Late);
        w.WriteNumber("foreign", p.Foreign);
        w.WriteNumber("unreachable", p.Unreachable);
    }

    private static void WriteFileResult(Utf8JsonWriter w, FileResult f)
    {
        w.WriteString("path", f.Path);
        w.WriteNumber("size", f.Size);
        Text(w, "digest", f.Digest);
        w.WriteBoolean("verified", f.Verified);
        w.WriteString("status", f.Status.ToText());
        Text(w, "reason", f.Reason);
        w.WriteNumber("resumedFrom", f.ResumedFrom);
        w.WriteNumber("seconds", f.Seconds);
        w.WriteNumber("bytesPerSecond", f.BytesPerSecond);
        if (f.Algorithm is FileHashAlgorithm algorithm) w.WriteString("algorithm", algorithm.ToText());
        Text(w, "sha256", f.Sha256);
        w.WriteBoolean("succeeded", f.Succeeded);
    }

    private static void WriteHttp(Utf8JsonWriter w, HttpJson h)
    {
        w.WriteString("url", h.Url);
        w.WriteString("remote", h.Remote);
        w.WriteString("request", h.Request);
        w.WriteString("version", h.Version);
        w.WriteNumber("status", h.Status);
        w.WriteString("reason", h.Reason);
        Headers(w, "headers", h.Headers);
        Headers(w, "trailers", h.Trailers);
        w.WriteStartArray("interim");
        foreach (HttpInterim i in h.Interim)
        {
            w.WriteStartObject();
            w.WriteNumber("status", i.Status);
            w.WriteString("reason", i.Reason);
            Headers(w, "headers", i.Headers);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteString("framing", h.Framing.ToText());
        w.WriteNumber("headerBytes", h.HeaderBytes);
        w.WriteNumber("bodyBytes", h.BodyBytes);
        w.WriteNumber("rawBytes", h.RawBytes);
        Text(w, "body", h.Body);
        Text(w, "bodyBase64", h.BodyBase64);
        w.WriteBoolean("bodyTruncated", h.BodyTruncated);
        if (h.Chunks is not null)
        {
            w.WriteStartArray("chunks");
            foreach (HttpChunk c in h.Chunks)
            {
                w.WriteStartObject();
                w.WriteNumber("size", c.Size);
                w.WriteNumber("rawOffset", c.RawOffset);
                w.WriteNumber("bodyOffset", c.BodyOffset);
                Text(w, "extensions", c.Extensions);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (h.Tls is not null) WriteTlsInfo(w, "tls", h.Tls);
        HttpTimings t = h.Timings;
        w.WritePropertyName("timings");
        w.WriteStartObject();
        w.WriteNumber("resolvedMs", t.ResolvedMs);
        w.WriteNumber("connectedMs", t.ConnectedMs);
        Number(w, "tlsDoneMs", t.TlsDoneMs);
        w.WriteNumber("requestSentMs", t.RequestSentMs);
        Number(w, "firstByteMs", t.FirstByteMs);
        w.WriteNumber("completeMs", t.CompleteMs);
        w.WriteEndObject();
        Text(w, "location", h.Location);
        w.WriteStartArray("redirects");
        foreach (HttpRedirect r in h.Redirects)
        {
            w.WriteStartObject();
            w.WriteString("url", r.Url);
            w.WriteNumber("status", r.Status);
            w.WriteString("location", r.Location);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        Texts(w, "warnings", h.Warnings);
        Text(w, "via", h.Via);
    }

    private static void WriteTlsCheck(Utf8JsonWriter w, TlsCheck t)
    {
        w.WritePropertyName("tls");
        w.WriteStartObject();
        w.WriteBoolean("speaksTls", t.SpeaksTls);
        Text(w, "subject", t.Subject);
        Time(w, "notAfter", t.NotAfter);
        if (t.DaysLeft is int days) w.WriteNumber("daysLeft", days);
        w.WriteBoolean("verified", t.Verified);
        Text(w, "problem", t.Problem);
        if (t.Details is not null) WriteTlsInfo(w, "details", t.Details);
        w.WriteEndObject();
    }

    private static void WriteTlsInfo(Utf8JsonWriter w, string name, TlsInfo t)
    {
        w.WritePropertyName(name);
        w.WriteStartObject();
        w.WriteString("protocol", t.Protocol);
        Text(w, "cipherSuite", t.CipherSuite);
        Text(w, "alpn", t.Alpn);
        Text(w, "serverName", t.ServerName);
        Text(w, "subject", t.Subject);
        Text(w, "issuer", t.Issuer);
        w.WriteString("notBefore", t.NotBefore);
        w.WriteString("notAfter", t.NotAfter);
        Text(w, "sha256Fingerprint", t.Sha256Fingerprint);
        w.WriteBoolean("verified", t.Verified);
        Text(w, "publicKeyPin", t.PublicKeyPin);
        w.WriteBoolean("pinned", t.Pinned);
        Text(w, "verificationError", t.VerificationError);
        w.WriteEndObject();
    }

    private static void WriteConnectionFields(Utf8JsonWriter w, SocketConnection c)
    {
        w.WriteString("protocol", c.Protocol.ToText());
        if (Name(c.Family) is string family) w.WriteString("family", family);
        else w.WriteNumber("family", (int)c.Family);
        Text(w, "localAddress", c.LocalAddress);
        if (c.LocalPort is int localPort) w.WriteNumber("localPort", localPort);
        Text(w, "remoteAddress", c.RemoteAddress);
        if (c.RemotePort is int remotePort) w.WriteNumber("remotePort", remotePort);
        w.WriteString("state", Name(c.State));
        if (c.ReceiveQueue is long receiveQueue) w.WriteNumber("receiveQueue", receiveQueue);
        if (c.SendQueue is long sendQueue) w.WriteNumber("sendQueue", sendQueue);
        if (c.ProcessId is int pid) w.WriteNumber("processId", pid);
        Text(w, "processName", c.ProcessName);
        Text(w, "path", c.Path);
        if (c.Inode is long inode) w.WriteNumber("inode", inode);
    }

    private static void Headers(Utf8JsonWriter w, string name, IReadOnlyList<HttpHeader> headers)
    {
        w.WriteStartArray(name);
        foreach (HttpHeader h in headers)
        {
            w.WriteStartObject();
            w.WriteString("name", h.Name);
            w.WriteString("value", h.Value);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    // Null fields are left out, as the serializer did (DefaultIgnoreCondition WhenWritingNull).
    private static void Text(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }

    private static void Texts(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (string v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is double v) w.WriteNumber(name, v);
    }

    private static void Time(Utf8JsonWriter w, string name, DateTimeOffset? value)
    {
        if (value is DateTimeOffset v) w.WriteString(name, v);
    }

    // Engine states without a printed word go out by their enum name, as the serializer's string enum converter wrote
    // them. Spelled here with nameof, not Enum.ToString, which needs reflection metadata in the native binary.
    private static string Name(PortState s) => s switch
    {
        PortState.Open => nameof(PortState.Open),
        PortState.Closed => nameof(PortState.Closed),
        PortState.Filtered => nameof(PortState.Filtered),
        PortState.OpenFiltered => nameof(PortState.OpenFiltered),
        PortState.Unresolved => nameof(PortState.Unresolved),
        _ => throw Unnamed("PortState", (int)s),
    };

    private static string Name(ReceiveEnd e) => e switch
    {
        ReceiveEnd.PeerClosed => nameof(ReceiveEnd.PeerClosed),
        ReceiveEnd.ByteLimit => nameof(ReceiveEnd.ByteLimit),
        ReceiveEnd.Delimiter => nameof(ReceiveEnd.Delimiter),
        ReceiveEnd.IdleTimeout => nameof(ReceiveEnd.IdleTimeout),
        _ => throw Unnamed("ReceiveEnd", (int)e),
    };

    private static string Name(ConnectionChangeKind k) => k switch
    {
        ConnectionChangeKind.Listed => nameof(ConnectionChangeKind.Listed),
        ConnectionChangeKind.Opened => nameof(ConnectionChangeKind.Opened),
        ConnectionChangeKind.Closed => nameof(ConnectionChangeKind.Closed),
        ConnectionChangeKind.State => nameof(ConnectionChangeKind.State),
        _ => throw Unnamed("ConnectionChangeKind", (int)k),
    };

    private static string Name(ConnectionState s) => s switch
    {
        ConnectionState.Listen => nameof(ConnectionState.Listen),
        ConnectionState.Established => nameof(ConnectionState.Established),
        ConnectionState.SynSent => nameof(ConnectionState.SynSent),
        ConnectionState.SynReceived => nameof(ConnectionState.SynReceived),
        ConnectionState.FinWait1 => nameof(ConnectionState.FinWait1),
        ConnectionState.FinWait2 => nameof(ConnectionState.FinWait2),
        ConnectionState.TimeWait => nameof(ConnectionState.TimeWait),
        ConnectionState.CloseWait => nameof(ConnectionState.CloseWait),
        ConnectionState.LastAck => nameof(ConnectionState.LastAck),
        ConnectionState.Closing => nameof(ConnectionState.Closing),
        ConnectionState.Closed => nameof(ConnectionState.Closed),
        ConnectionState.Unconnected => nameof(ConnectionState.Unconnected),
        ConnectionState.Connected => nameof(ConnectionState.Connected),
        _ => throw Unnamed("ConnectionState", (int)s),
    };

    // The families a socket listing finds; another one is written as its number.
    private static string? Name(AddressFamily f) => f switch
    {
        AddressFamily.InterNetwork => nameof(AddressFamily.InterNetwork),
        AddressFamily.InterNetworkV6 => nameof(AddressFamily.InterNetworkV6),
        AddressFamily.Unix => nameof(AddressFamily.Unix),
        _ => null,
    };

    // The engine only makes named values; a new member without a case here is caught by JsonEventWriterTests.
    private static InvalidOperationException Unnamed(string type, int value) => new($"no JSON name for {type} value {value}");
}
