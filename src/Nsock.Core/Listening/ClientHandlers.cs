using System;
using System.IO;

namespace Nsock.Core;

// The one place a listener mode becomes a handler: a new mode is a handler file and a line here.
internal static class ClientHandlers
{
    /// <summary>The handler for the mode of <paramref name="o"/> (TCP and Unix; UDP has a loop of its own), for one run with these streams.</summary>
    public static ClientServing For(ListenerOptions o, Stream? input, Stream? output, IEventSink sink, SessionRecorder? recorder = null) => o.Mode switch
    {
        // As nc -l: one client, and nobody else gets in while it is served.
        ListenerMode.Relay when !o.KeepOpen => new ClientServing(new RelayHandler(input, output, o.Relay with { Recorder = recorder, InactivityTimeout = o.ClientIdleTimeout }), Count: 1, OnlyClient: true),
        ListenerMode.Relay => new ClientServing(new BroadcastHandler(input, output, recorder, o.ClientIdleTimeout), o.Count),
        ListenerMode.Broker => new ClientServing(new BroadcastHandler(input, output, recorder, o.ClientIdleTimeout, toOtherClients: true), o.Count),
        ListenerMode.Chat => new ClientServing(new ChatHandler(input, output, sink), o.Count),
        // As nc -l -e: one client (its program's end is the run's), or with keep-open a program per client.
        ListenerMode.Exec when !o.KeepOpen => new ClientServing(new ExecHandler(o.Exec!, o.Relay.IdleTimeout, o.ClientIdleTimeout), Count: 1, OnlyClient: true),
        ListenerMode.Exec => new ClientServing(new ExecHandler(o.Exec!, o.Relay.IdleTimeout, o.ClientIdleTimeout), o.Count),
        // A stream client to a UDP target: a datagram per read and back (UDP to a stream target is UdpForward's).
        ListenerMode.Forward when o.ForwardTo!.Transport == Transport.Udp => new ClientServing(new ForwardToUdpHandler(o.ForwardTo, o.ForwardConnect, o.Relay.IdleTimeout, o.ClientIdleTimeout), o.Count),
        ListenerMode.Forward => new ClientServing(new ForwardHandler(o.ForwardTo!, o.ForwardConnect, o.Relay.IdleTimeout, o.ClientIdleTimeout, o.ForwardTls), o.Count),
        // File modes without keep-open serve one client, as the relay does.
        ListenerMode.ReceiveFiles => new ClientServing(new ReceiveFilesHandler(new ReceiveFilesOptions
        {
            Directory = o.FileDirectory!,
            Overwrite = o.Overwrite,
            SyncFiles = o.SyncFiles,
            MaxBytes = o.MaxBytes,
            IdleTimeout = Idle(o.ClientIdleTimeout, ReceiveFilesOptions.DefaultIdleTimeout),
            HeaderTimeout = o.FileHeaderTimeout ?? Given(o.ClientIdleTimeout) ?? ReceiveFilesOptions.DefaultHeaderTimeout,
            MinRate = o.FileMinRate ?? ReceiveFilesOptions.DefaultMinRate,
            RateWindow = o.FileRateWindow ?? Given(o.ClientIdleTimeout) ?? ReceiveFilesOptions.DefaultIdleTimeout,
            Names = o.Names,
        }), o.KeepOpen ? o.Count : 1),
        ListenerMode.ServeFiles => new ClientServing(new ServeFilesHandler(new ServeFilesOptions
        {
            Directory = o.FileDirectory!,
            IdleTimeout = Idle(o.ClientIdleTimeout, ServeFilesOptions.DefaultIdleTimeout),
            NameTimeout = o.FileHeaderTimeout ?? Given(o.ClientIdleTimeout) ?? ServeFilesOptions.DefaultNameTimeout,
        }), o.KeepOpen ? o.Count : 1),
        _ => new ClientServing(new EchoHandler(new EchoOptions { IdleTimeout = o.ClientIdleTimeout, Recorder = recorder }), o.Count),
    };

    // A file mode's silence limit: the one given (--timeout), none when it was given as never, else the mode's default.
    private static TimeSpan? Idle(TimeSpan? given, TimeSpan fallback) =>
        given is TimeSpan t ? (t > TimeSpan.Zero && t != System.Threading.Timeout.InfiniteTimeSpan ? t : null) : fallback;

    // The given silence limit, when it is a real one: the phase limits follow it (never: they keep their defaults).
    private static TimeSpan? Given(TimeSpan? given) =>
        given is TimeSpan t && t > TimeSpan.Zero && t != System.Threading.Timeout.InfiniteTimeSpan ? t : null;

    /// <summary>Refuses, before anything is bound, options the mode cannot serve with.</summary>
    public static void Validate(ListenerOptions o)
    {
        if (o.Endpoint.Transport == Transport.Udp && o.ClientIdleTimeout is not null)
            throw NsockException.BadInput($"{o.Names.Option(NsockOption.ClientIdleTimeout)} closes quiet clients of a stream (tcp or unix); UDP has no clients to close");
        if (o.Mode is ListenerMode.Broker or ListenerMode.Chat && o.Endpoint.Transport == Transport.Udp)
            throw NsockException.BadInput("a broker or chat needs a stream (tcp or unix), not UDP");
        if (o.Mode == ListenerMode.Exec)
        {
#if !NET
            throw NsockException.BadInput("running a program for each client needs PowerShell 7 or the nsock command");
#else
            if (o.Exec is not { Count: > 0 }) throw NsockException.BadInput("no program given to run");
            if (o.Endpoint.Transport == Transport.Udp) throw NsockException.BadInput("a program per client needs a stream (tcp or unix), not UDP");
#endif
        }
        if (o.Mode == ListenerMode.Forward)
        {
            if (o.ForwardTo is null) throw NsockException.BadInput("no target given to forward to");
            Connector.ValidateForConnect(o.ForwardTo);
        }
        if (o.Mode is ListenerMode.Chat or ListenerMode.Exec or ListenerMode.Forward && (o.HexDumpPath is not null || o.OutputPath is not null))
            throw NsockException.BadInput($"{o.Names.Option(NsockOption.HexDump)} and {o.Names.Option(NsockOption.Output)} record relay, keep-open, broker and echo sessions; not yet a chat, a forward or a program per client");
        if (o.Mode == ListenerMode.Chat && o.ClientIdleTimeout is not null)
            throw NsockException.BadInput($"{o.Names.Option(NsockOption.ClientIdleTimeout)} is not yet supported in a chat");
        if (o.Mode is not (ListenerMode.ReceiveFiles or ListenerMode.ServeFiles)) return;
        if (o.HexDumpPath is not null || o.OutputPath is not null)
            throw NsockException.BadInput($"{o.Names.Option(NsockOption.HexDump)} and {o.Names.Option(NsockOption.Output)} record relay and echo sessions, not {o.Names.Option(NsockOption.ReceiveFiles)} or {o.Names.Option(NsockOption.ServeFiles)}");
        if (o.Endpoint.Transport == Transport.Udp) throw NsockException.BadInput("files go over a stream (tcp or unix), not UDP");
        if (string.IsNullOrEmpty(o.FileDirectory)) throw NsockException.BadInput("no folder given for files");
        if (!Directory.Exists(o.FileDirectory)) throw NsockException.BadInput($"folder '{o.FileDirectory}' does not exist");
        if (o.MaxBytes is < 0) throw NsockException.BadInput($"the byte limit must be 0 or more, not {o.MaxBytes}");
    }
}
