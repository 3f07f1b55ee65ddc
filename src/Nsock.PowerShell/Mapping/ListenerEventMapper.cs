using System;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>Engine events (and data chunks) at a listener to the SocketListenerEvent objects New-SocketListener writes.</summary>
internal static class ListenerEventMapper
{
    public static SocketListenerEvent From(NsockEvent e, DateTime time) => e switch
    {
        ListenerReady r => new SocketListenerEvent(time, r.Event)
        {
            Local = r.Endpoint, Port = r.Port, Record = e,
            Detail = "listening on " + r.Endpoint + (r.TlsKeyPin is null ? "" : $" (TLS key pin {r.TlsKeyPin}, certificate SHA-256 {r.TlsCertificateSha256})"),
        },
        ClientConnected c => new SocketListenerEvent(time, c.Event) { Client = c.Client, Remote = c.Remote, Local = c.Local, Record = e },
        ClientClosed c => new SocketListenerEvent(time, c.Event)
        {
            Client = c.Client, Remote = c.Remote, Bytes = c.BytesReceived, BytesSent = c.BytesSent, Seconds = c.Seconds, Detail = c.Error, Record = e,
        },
        ClientRejected r => new SocketListenerEvent(time, r.Event) { Remote = r.Remote, Detail = r.Reason, Record = e },
        DatagramReceived d => new SocketListenerEvent(time, d.Event) { Remote = d.Remote, Bytes = d.Bytes, Record = e },
        FileResult f => new SocketListenerEvent(time, f.Event)
        {
            Bytes = f.Size, Seconds = f.Seconds, Detail = f.Status.ToText() + ": " + f.Path + (f.Reason is null ? "" : " (" + f.Reason + ")"), Record = e,
        },
        ClientForwarded f => new SocketListenerEvent(time, f.Event)
        {
            Client = f.Client, Remote = f.Remote, Local = f.Local, Tls = f.Tls, Record = e,
            Detail = "forwarded to " + f.Target + (f.Tls is null ? "" : $" over {f.Tls.Protocol}, certificate '{f.Tls.Subject}'{(f.Tls.Pinned ? " (pinned)" : f.Tls.Verified ? "" : " (NOT verified)")}"),
        },
        ClientTlsNegotiated t => new SocketListenerEvent(time, t.Event)
        {
            Client = t.Client, Remote = t.Remote, Tls = t.Tls, Record = e,
            Detail = $"{t.Tls.Protocol} {t.Tls.CipherSuite}" + (t.Tls.ServerName.Length == 0 ? "" : $" for '{t.Tls.ServerName}'")
                + (t.Tls.Subject.Length == 0 ? "" : $", client certificate '{t.Tls.Subject}' from '{t.Tls.Issuer}'"),
        },
        ClientDropped d => new SocketListenerEvent(time, d.Event) { Client = d.Client, Remote = d.Remote, Detail = d.Reason, Record = e },
        ChatJoined j => new SocketListenerEvent(time, j.Event) { Client = j.Client, Remote = j.Remote, Name = j.Name, Detail = j.Name + " joined", Record = e },
        ChatLeft l => new SocketListenerEvent(time, l.Event) { Client = l.Client, Name = l.Name, Detail = l.Name + " left" + (l.Reason is null ? "" : " (" + l.Reason + ")"), Record = e },
        ChatMessage m => new SocketListenerEvent(time, m.Event) { Client = m.Client, Name = m.Name, Text = m.Text, Detail = "<" + m.Name + "> " + m.Text, Record = e },
        ChatRenamed r => new SocketListenerEvent(time, r.Event) { Client = r.Client, Name = r.Name, Detail = r.OldName + " is now " + r.Name, Record = e },
        _ => new SocketListenerEvent(time, e.Event) { Record = e },
    };

    /// <summary>Bytes a client sent, in relay mode (the engine's output does not say which client: see the module notes).</summary>
    public static SocketListenerEvent Data(byte[] data, string text, DateTime time) =>
        new(time, "data") { Bytes = data.Length, Data = data, Text = text };

    /// <summary>The last object of a foreground listener: why it stopped and what it served.</summary>
    public static SocketListenerEvent Stopped(ListenerResult? result, string reason, DateTime time) =>
        new(time, "stopped")
        {
            Client = result?.Clients,
            Bytes = result?.BytesReceived,
            BytesSent = result?.BytesSent,
            Detail = result is null ? reason : $"{reason}: {result.Clients} served, {result.Rejected} rejected",
        };
}
