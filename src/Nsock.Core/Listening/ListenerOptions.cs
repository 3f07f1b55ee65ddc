using System;

namespace Nsock.Core;

/// <summary>How a listener binds and serves.</summary>
public sealed record ListenerOptions
{
    /// <summary>The default cap on clients served at once.</summary>
    public const int DefaultMaxClients = 100;

    /// <summary>Where to listen. Port 0 picks a free port; a missing host means every interface.</summary>
    public Endpoint Endpoint { get; init; } = new(Transport.Tcp, null, 0);

    /// <summary>Family of the bind address when the endpoint names every interface or a name with both.</summary>
    public IpVersion IpVersion { get; init; } = IpVersion.Any;

    /// <summary>What to do with clients.</summary>
    public ListenerMode Mode { get; init; } = ListenerMode.Relay;

    /// <summary>Keep accepting after the first client (always so in echo mode).</summary>
    public bool KeepOpen { get; init; }

    /// <summary>Clients served at once; further clients wait in the backlog until a slot frees.</summary>
    public int MaxClients { get; init; } = DefaultMaxClients;

    /// <summary>Stop after this many clients (TCP, Unix) or datagrams (UDP) were served. Null: until cancelled.</summary>
    public long? Count { get; init; }

    /// <summary>Which peers may connect.</summary>
    internal AddressFilter Filter { get; init; } = AddressFilter.AllowAll;

    /// <summary>End-of-stream and timeout behaviour of the relay in relay mode.</summary>
    public RelayOptions Relay { get; init; } = new() { IdleTimeout = null };

    /// <summary>
    /// Close a client that has sent nothing and been sent nothing for this long (--idle-timeout); the listener goes on.
    /// Null: relay and echo clients may stay quiet as long as they like. File modes: a sender or a client that
    /// sends nothing for this long is dropped, and the greeting, each file header and the rate window take it as
    /// their limit too; null there means each mode's defaults, <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> no silence limit.
    /// </summary>
    public TimeSpan? ClientIdleTimeout { get; init; }

    /// <summary>Record every client's bytes, both ways, as a hex dump in this file (relay and echo modes).</summary>
    public string? HexDumpPath { get; init; }

    /// <summary>Record every client's bytes, both ways, as they are, in this file (relay and echo modes).</summary>
    public string? OutputPath { get; init; }

    /// <summary>File modes: how long the greeting, a file header with its name, or a served file's name may take (tests make it short).</summary>
    internal TimeSpan? FileHeaderTimeout { get; init; }

    /// <summary>Receive-files: the least bytes per second of waiting a file's bytes must come at (0: no such rule).</summary>
    internal long? FileMinRate { get; init; }

    /// <summary>Receive-files: the stretch of waiting over which <see cref="FileMinRate"/> is judged.</summary>
    internal TimeSpan? FileRateWindow { get; init; }

    /// <summary>The folder files are received into or served from (ReceiveFiles and ServeFiles modes).</summary>
    public string? FileDirectory { get; init; }

    /// <summary>Let received files replace existing ones.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Flush each received file to disk (fsync) before it is renamed into place and reported verified.</summary>
    public bool SyncFiles { get; init; }

    /// <summary>The most bytes of files this listener accepts in all (null: no limit).</summary>
    public long? MaxBytes { get; init; }

    /// <summary>Report every UDP datagram as an event (costs an allocation per datagram; off by default).</summary>
    public bool ReportDatagrams { get; init; }

    /// <summary>Report the listener's counters (a <see cref="ListenerStatistics"/> event) this often and once more as it stops. Null: never.</summary>
    public TimeSpan? StatisticsInterval { get; init; }

    /// <summary>How the front end spells its options, for messages sent to peers and shown (a skipped file names the overwrite option).</summary>
    public IOptionNames Names { get; init; } = PlainOptionNames.Instance;

    /// <summary>Where each client is forwarded (Forward mode).</summary>
    public Endpoint? ForwardTo { get; init; }

    /// <summary>How the forward connects to <see cref="ForwardTo"/>.</summary>
    public ConnectOptions ForwardConnect { get; init; } = new();

    /// <summary>The program and its arguments run for each client (Exec mode; --sh-exec gives the shell and -c and the command).</summary>
    public System.Collections.Generic.IReadOnlyList<string>? Exec { get; init; }

    /// <summary>TLS on every accepted client (listen --tls), or null.</summary>
    internal TlsServer? Tls { get; init; }

    /// <summary>TLS to <see cref="ForwardTo"/> (a <c>tls://host:port</c> target), verified as connect --tls verifies, or null.</summary>
    internal TlsClient? ForwardTls { get; init; }
}
