using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

/// <summary>
/// Listen for clients and serve them: relay (nc -l), echo, receive files or serve files, broker or chat; UDP datagrams
/// (<c>nsock listen</c>, <c>New-SocketListener</c>). <see cref="Validate"/> checks it and gives the plan that binds.
/// </summary>
public sealed record ListenRequest
{
    /// <summary>Where to listen in nsock's syntax (<c>port</c>, <c>:port</c>, <c>host:port</c>, <c>unix:/path</c>); or null with <see cref="Port"/>.</summary>
    public string? Endpoint { get; init; }

    /// <summary>The address to listen on, with <see cref="Port"/>; null: every interface.</summary>
    public string? LocalAddress { get; init; }

    /// <summary>The port (0 picks a free one), with <see cref="LocalAddress"/>.</summary>
    public int? Port { get; init; }

    /// <summary>Listen for UDP datagrams.</summary>
    public bool Udp { get; init; }

    /// <summary>IPv4 only.</summary>
    public bool IPv4 { get; init; }

    /// <summary>IPv6 only.</summary>
    public bool IPv6 { get; init; }

    /// <summary>Send every byte back (implies keeping open).</summary>
    public bool Echo { get; init; }

    /// <summary>Receive files into this folder.</summary>
    public string? ReceiveFiles { get; init; }

    /// <summary>Serve the files of this folder.</summary>
    public string? ServeFiles { get; init; }

    /// <summary>With receive files: replace existing files.</summary>
    public bool Overwrite { get; init; }

    /// <summary>With receive files: flush each file to disk before it is placed.</summary>
    public bool Fsync { get; init; }

    /// <summary>With receive files: accept at most this many bytes of files in all.</summary>
    public long? FilesByteLimit { get; init; }

    /// <summary>Keep accepting clients.</summary>
    public bool KeepOpen { get; init; }

    /// <summary>Clients served at once (default <see cref="ListenerOptions.DefaultMaxClients"/>).</summary>
    public int? MaxClients { get; init; }

    /// <summary>Stop after this many clients (UDP: datagrams).</summary>
    public long? ClientCount { get; init; }

    /// <summary>CIDR blocks to serve (comma-separated items allowed).</summary>
    public IReadOnlyList<string>? Allow { get; init; }

    /// <summary>CIDR blocks to refuse (wins over <see cref="Allow"/>).</summary>
    public IReadOnlyList<string>? Deny { get; init; }

    /// <summary>The face gives input to send to the relay client (PowerShell's pipeline; the command's stdin is implied).</summary>
    public bool HasInput { get; init; }

    /// <summary>Relay: only send the input.</summary>
    public bool SendOnly { get; init; }

    /// <summary>Relay: only take what the client sends.</summary>
    public bool ReceiveOnly { get; init; }

    /// <summary>Relay: do not half-close the client when the input ends.</summary>
    public bool NoShutdown { get; init; }

    /// <summary>
    /// Relay: seconds of silence before giving up once nothing is left to send; null waits as long as the client is there, 0 never times out.
    /// Receive and serve files: how long a client may send nothing, and the limit of each protocol phase (0: no silence limit; null: the modes' defaults).
    /// </summary>
    public double? IdleTimeout { get; init; }

    /// <summary>The input is a person at a terminal: the relay ends when the client hangs up.</summary>
    public bool InteractiveInput { get; init; }

    /// <summary>Report every datagram as an event (the face decides whether it shows them).</summary>
    public bool ReportDatagrams { get; init; }

    /// <summary>
    /// Seconds a client may send nothing and be sent nothing before it is closed (every mode over TCP and Unix; the
    /// listener goes on). Null or 0: relay and echo clients may stay quiet as long as they like, the file modes keep
    /// their own limits.
    /// </summary>
    public double? ClientIdleTimeout { get; init; }

    /// <summary>Record every client's bytes, both ways, as a hex dump in this file (relay and echo modes).</summary>
    public string? HexDumpPath { get; init; }

    /// <summary>Record every client's bytes, both ways, as they are, in this file (relay and echo modes).</summary>
    public string? OutputPath { get; init; }

    /// <summary>Seconds between statistics reports unless <see cref="StatisticsInterval"/> says.</summary>
    public const double DefaultStatisticsSeconds = 10;

    /// <summary>Report the listener's counters (a <c>stats</c> event) every <see cref="StatisticsInterval"/> and once more as it stops.</summary>
    public bool Statistics { get; init; }

    /// <summary>Seconds between statistics reports (null: <see cref="DefaultStatisticsSeconds"/>); only with <see cref="Statistics"/>.</summary>
    public double? StatisticsInterval { get; init; }
    /// <summary>A broker: what a client sends goes to every other client (implies keeping open).</summary>
    public bool Broker { get; init; }

    /// <summary>A chat room: named clients, lines relayed as <c>&lt;name&gt; text</c> (implies keeping open).</summary>
    public bool Chat { get; init; }

    /// <summary>Forward each client to this endpoint (host:port, unix:/path): <c>nsock forward</c>, <c>New-SocketListener -ForwardTo</c>.</summary>
    public string? ForwardTo { get; init; }

    /// <summary>Run this program for each client, split into words without a shell (<c>--exec "CMD ARGS"</c>).</summary>
    public string? Exec { get; init; }

    /// <summary>Run this command line through the shell for each client (<c>--sh-exec</c>: /bin/sh -c, cmd.exe /c on Windows).</summary>
    public string? ShExec { get; init; }

    /// <summary>Speak TLS to every client (TCP): needs <see cref="CertificatePath"/>, <see cref="Certificate"/> or <see cref="TlsSelfSigned"/>.</summary>
    public bool Tls { get; init; }

    /// <summary>The listener's certificate: a PEM file (its key in <see cref="KeyPath"/> or in the same file) or a PKCS#12/PFX file.</summary>
    public string? CertificatePath { get; init; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; init; }

    /// <summary>The password of a PFX or an encrypted PEM key.</summary>
    public string? CertificatePassword { get; init; }

    /// <summary>The listener's certificate as an object with its private key (PowerShell's -Certificate), instead of <see cref="CertificatePath"/>.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; init; }

    /// <summary>Make a certificate in memory for this run (ECDSA P-256, 7 days, for localhost and the listener's address); implies <see cref="Tls"/>.</summary>
    public bool TlsSelfSigned { get; init; }

    /// <summary>A PEM file of CAs: every client must present a certificate that chains to one of them (mutual TLS).</summary>
    public string? ClientCaPath { get; init; }

    /// <summary>Seconds a client has to finish the TLS handshake (default 10; 0: no limit).</summary>
    public double? TlsHandshakeTimeout { get; init; }

    /// <summary>
    /// Run this program for each client, its arguments given one by one (no splitting, no shell):
    /// <c>New-SocketListener -Exec 'python3','echo.py'</c>. The first is the program (a path, or a name found in PATH).
    /// Spelled as <see cref="Exec"/> (<see cref="NsockOption.Exec"/>): the two exclude each other.
    /// </summary>
    public IReadOnlyList<string>? ExecArguments { get; init; }

    /// <summary>A forward's TLS target (<see cref="ForwardTo"/> as <c>tls://host:port</c>): verify it against the CAs in this PEM file instead of the system store.</summary>
    public string? TargetCaFile { get; init; }

    /// <summary>A forward's TLS target: do not verify its certificate (what it would have said is still reported).</summary>
    public bool TargetInsecure { get; init; }

    /// <summary>A forward's TLS target: the server name to send and verify (default: the target's host).</summary>
    public string? TargetSni { get; init; }

    /// <summary>A forward's TLS target: accept exactly these keys, comma-separated <c>sha256:BASE64</c> (the chain need not verify).</summary>
    public string? TargetPin { get; init; }

    /// <summary>A forward's TLS target: the application protocols to offer (ALPN), comma-separated, in order of preference.</summary>
    public string? TargetAlpn { get; init; }

    /// <summary>A forward's TLS target: the certificate sent to it (mutual TLS), PEM (key in <see cref="TargetKeyPath"/> or the same file) or PFX; not the listener's own <see cref="CertificatePath"/>.</summary>
    public string? TargetCertificatePath { get; init; }

    /// <summary>The PEM private key of <see cref="TargetCertificatePath"/>.</summary>
    public string? TargetKeyPath { get; init; }

    /// <summary>The password of <see cref="TargetCertificatePath"/> (PFX or encrypted PEM key).</summary>
    public string? TargetCertificatePassword { get; init; }

    /// <summary>A forward's TLS target: the certificate sent to it as an object with its private key, instead of <see cref="TargetCertificatePath"/>.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? TargetCertificate { get; init; }

    private bool RunsProgram => Exec is not null || ExecArguments is not null || ShExec is not null;

    private NsockOption ProgramOption => ShExec is not null ? NsockOption.ShExec : NsockOption.Exec;

    /// <summary>Checks every value before anything is bound.</summary>
    public ListenPlan Validate(IOptionNames names)
    {
        string Opt(NsockOption o) => names.Option(o);
        int maxClients = MaxClients ?? ListenerOptions.DefaultMaxClients;
        if (maxClients < 1) throw NsockException.BadInput($"{Opt(NsockOption.MaxClients)} must be at least 1, not {maxClients}");
        if (ClientCount is < 1) throw NsockException.BadInput($"{Opt(NsockOption.ClientCount)} must be at least 1, not {ClientCount}");
        RelayDirection direction = RelayRules.Direction(SendOnly, ReceiveOnly, names);
        int modes = (Echo ? 1 : 0) + (ReceiveFiles is null ? 0 : 1) + (ServeFiles is null ? 0 : 1) + (Broker ? 1 : 0) + (Chat ? 1 : 0) + (ForwardTo is null ? 0 : 1);
        if (Exec is not null && ExecArguments is not null) throw NsockException.BadInput($"{Opt(NsockOption.Exec)} given twice: as a command line and as arguments");
        if ((Exec is not null || ExecArguments is not null) && ShExec is not null) throw NsockException.BadInput($"{Opt(NsockOption.Exec)} and {Opt(NsockOption.ShExec)} exclude each other: give one");
        if (modes > 0 && RunsProgram)
            throw NsockException.BadInput($"{Opt(ProgramOption)} is a mode of its own: not with {Opt(NsockOption.Echo)}, {Opt(NsockOption.ReceiveFiles)}, {Opt(NsockOption.ServeFiles)}, {Opt(NsockOption.Broker)}, {Opt(NsockOption.Chat)} or {Opt(NsockOption.ForwardTo)}");
        if (modes > 1) throw NsockException.BadInput($"{Opt(NsockOption.Echo)}, {Opt(NsockOption.ReceiveFiles)}, {Opt(NsockOption.ServeFiles)}, {Opt(NsockOption.Broker)}, {Opt(NsockOption.Chat)} and {Opt(NsockOption.ForwardTo)} exclude each other");
        if ((Overwrite || FilesByteLimit is not null || Fsync) && ReceiveFiles is null)
            throw NsockException.BadInput($"{Opt(NsockOption.Overwrite)}, {Opt(NsockOption.FilesByteLimit)} and {Opt(NsockOption.Fsync)} apply to {Opt(NsockOption.ReceiveFiles)}");
        if (FilesByteLimit is < 0) throw NsockException.BadInput($"{Opt(NsockOption.FilesByteLimit)} must be 0 or more, not {FilesByteLimit}");
        ListenerMode mode = Echo ? ListenerMode.Echo : ReceiveFiles is not null ? ListenerMode.ReceiveFiles : ServeFiles is not null ? ListenerMode.ServeFiles
            : Broker ? ListenerMode.Broker : Chat ? ListenerMode.Chat : ForwardTo is not null ? ListenerMode.Forward : RunsProgram ? ListenerMode.Exec : ListenerMode.Relay;
        if (mode == ListenerMode.Exec && (HasInput || SendOnly || NoShutdown || Udp))
            throw NsockException.BadInput($"{Opt(NsockOption.Input)}, {Opt(NsockOption.SendOnly)}, {Opt(NsockOption.NoShutdown)} and {Opt(NsockOption.Udp)} do not apply to {Opt(ProgramOption)}: the program is both ends of each client");
        if (mode == ListenerMode.Forward && (HasInput || SendOnly || NoShutdown))
            throw NsockException.BadInput($"{Opt(NsockOption.Input)}, {Opt(NsockOption.SendOnly)} and {Opt(NsockOption.NoShutdown)} do not apply to {Opt(NsockOption.ForwardTo)}: the target is both ends");
        if (mode is ListenerMode.Broker or ListenerMode.Chat && (SendOnly || NoShutdown))
            throw NsockException.BadInput($"{Opt(NsockOption.SendOnly)} and {Opt(NsockOption.NoShutdown)} apply to the relay mode (not with {Opt(mode == ListenerMode.Broker ? NsockOption.Broker : NsockOption.Chat)})");
        if (mode is ListenerMode.Broker or ListenerMode.Chat && Udp)
            throw NsockException.BadInput($"{Opt(mode == ListenerMode.Broker ? NsockOption.Broker : NsockOption.Chat)} needs a stream (tcp or unix), not {Opt(NsockOption.Udp)}");
        if ((HasInput || SendOnly || NoShutdown) && mode is not (ListenerMode.Relay or ListenerMode.Broker or ListenerMode.Chat))
            throw NsockException.BadInput($"{Opt(NsockOption.Input)}, {Opt(NsockOption.SendOnly)} and {Opt(NsockOption.NoShutdown)} apply to the relay mode (not with {Opt(NsockOption.Echo)}, {Opt(NsockOption.ReceiveFiles)} or {Opt(NsockOption.ServeFiles)})");
        Seconds.Check(IdleTimeout, Opt(NsockOption.IdleTimeout));
        double? clientIdle = Seconds.Check(ClientIdleTimeout, Opt(NsockOption.ClientIdleTimeout));
        bool fileMode = mode is ListenerMode.ReceiveFiles or ListenerMode.ServeFiles;
        SessionRules.CheckRecordPaths(HexDumpPath, OutputPath, names);
        double statsSeconds = Seconds.Check(StatisticsInterval, Opt(NsockOption.StatisticsInterval)) ?? DefaultStatisticsSeconds;
        if (statsSeconds <= 0) throw NsockException.BadInput($"{Opt(NsockOption.StatisticsInterval)} must be more than 0 seconds");

        var target = new ConnectTarget { IPv4 = IPv4, IPv6 = IPv6 };
        Endpoint listen = ParseEndpoint(names);
        if (ForwardTo is null) RefuseStrayTargetTls(names);
        (Endpoint? forwardTo, TlsClient? forwardTls) = ForwardTo is null ? (null, null) : ParseForwardTarget(listen.Transport == Transport.Udp, names);
        var options = new ListenerOptions
        {
            Endpoint = listen,
            IpVersion = target.Family(names),
            Mode = mode,
            FileDirectory = ReceiveFiles ?? ServeFiles,
            Overwrite = Overwrite,
            MaxBytes = FilesByteLimit,
            SyncFiles = Fsync,
            KeepOpen = KeepOpen || Echo || Broker || Chat || ForwardTo is not null,
            MaxClients = maxClients,
            Count = ClientCount,
            Filter = AddressFilter.Parse(Allow, Deny),
            ReportDatagrams = ReportDatagrams,
            Names = names,
            // --idle-timeout (-IdleTimeout) closes a client quiet both ways, in every mode; 0 is never (for the file
            // modes: no silence limit). Without it the file modes take a given --timeout as their silence and phase limit.
            ClientIdleTimeout = clientIdle is double ci
                ? (ci > 0 ? TimeSpan.FromSeconds(ci) : fileMode ? System.Threading.Timeout.InfiniteTimeSpan : null)
                : fileMode && IdleTimeout is double given
                    ? (given > 0 ? TimeSpan.FromSeconds(given) : System.Threading.Timeout.InfiniteTimeSpan)
                    : null,
            HexDumpPath = HexDumpPath,
            OutputPath = OutputPath,
            ForwardTo = forwardTo,
            StatisticsInterval = Statistics ? TimeSpan.FromSeconds(statsSeconds) : null,
            Tls = TlsServer.From(this, listen, names),
            Exec = mode == ListenerMode.Exec ? (ExecArguments is not null ? ProgramRun.Line(ExecArguments, names) : ProgramRun.Line(Exec, ShExec, names)) : null,
            // A plain target is served by the relay's blocking threads (LinuxConnect); a TLS one's handshake is async anyway.
            ForwardConnect = new ConnectOptions { IpVersion = target.Family(names), OutsideEventLoop = forwardTls is null },
            ForwardTls = forwardTls,
            Relay = new RelayOptions
            {
                Direction = direction,
                ShutdownOnInputEnd = !NoShutdown,
                StopWhenPeerCloses = InteractiveInput,
                // A listener waits as long as its client is there; only an idle timeout given bounds it (0: never).
                IdleTimeout = IdleTimeout is double s && s > 0 ? TimeSpan.FromSeconds(s) : null,
            },
        };
        return new ListenPlan(options);
    }

    // A target without a scheme takes the listening side's transport (UDP to UDP); a scheme mixes datagrams and
    // streams (udp:// to tcp:// or unix:, and back: see UdpForward.StreamSession and ForwardToUdpHandler).
    // A tls://host:port target is TCP with TLS to it, checked by the TLS client's rules (as connect --tls), its own
    // certificate named apart from the listener's (ForwardTargetNames).
    private (Endpoint, TlsClient?) ParseForwardTarget(bool udp, IOptionNames names)
    {
        bool tls = ForwardTo!.TrimStart().StartsWith("tls://", StringComparison.OrdinalIgnoreCase);
        if (!tls) RefuseStrayTargetTls(names);
        if (tls && udp)
            throw NsockException.BadInput($"{names.Option(NsockOption.ForwardTo)} '{NsockText.Printable(ForwardTo)}': a TLS target takes a stream listener (tcp or unix), not UDP");
        Endpoint ep;
        TlsClient? client = null;
        try
        {
            if (tls)
            {
                var target = new ConnectTarget
                {
                    Endpoint = ForwardTo, IPv4 = IPv4, IPv6 = IPv6,
                    CaFile = TargetCaFile, Insecure = TargetInsecure, Sni = TargetSni, Pin = TargetPin, Alpn = TargetAlpn,
                    CertificateFile = TargetCertificatePath, KeyFile = TargetKeyPath, CertificatePassword = TargetCertificatePassword, ClientCertificate = TargetCertificate,
                };
                (ep, client) = target.ParseTlsEndpoint(new ForwardTargetNames(names), Transport.Tcp, null);
            }
            else
            {
                ep = ConnectTarget.ParseAs(ForwardTo!, udp ? Transport.Udp : Transport.Tcp, null, names);
            }
            Connector.ValidateForConnect(ep);
        }
        catch (NsockException e)
        {
            throw NsockException.BadInput($"{names.Option(NsockOption.ForwardTo)}: {e.Message}");
        }
        return (ep, client);
    }

    // The target's TLS settings mean nothing without a TLS target: named, as a listener's TLS options are without TLS.
    private void RefuseStrayTargetTls(IOptionNames names)
    {
        NsockOption? stray = TargetCaFile is not null ? NsockOption.CaFile : TargetInsecure ? NsockOption.Insecure : TargetSni is not null ? NsockOption.Sni
            : TargetPin is not null ? NsockOption.Pin : TargetAlpn is not null ? NsockOption.Alpn
            : TargetCertificatePath is not null || TargetCertificate is not null ? NsockOption.TargetCertificate : TargetKeyPath is not null ? NsockOption.TargetKey
            : TargetCertificatePassword is not null ? NsockOption.TargetCertificatePassword : null;
        if (stray is NsockOption o)
            throw NsockException.BadInput($"{names.Option(o)} applies to a TLS target: give {names.Option(NsockOption.ForwardTo)} as tls://host:port");
    }

    private Endpoint ParseEndpoint(IOptionNames names)
    {
        if (Endpoint is not null && (LocalAddress is not null || Port is not null))
            throw NsockException.BadInput($"give {names.Option(NsockOption.Endpoint)} alone, or {names.Option(NsockOption.Port)} (with an address); not both");
        string text = Endpoint ?? ConnectTarget.Join(LocalAddress, Port ?? throw NsockException.BadInput($"give {names.Option(NsockOption.Port)} or {names.Option(NsockOption.Endpoint)}"));
        return ConnectTarget.ParseAs(text, Udp ? Transport.Udp : Transport.Tcp, Udp ? NsockOption.Udp : null, names);
    }
}

/// <summary>A checked <see cref="ListenRequest"/>: the listener's options, ready to bind.</summary>
public sealed record ListenPlan(ListenerOptions Options)
{
    /// <summary>Binds (a port of 0 picks a free one: the listener's Ready event says which).</summary>
    public Task<Listener> BindAsync(CancellationToken ct) => Listener.BindAsync(Options, ct);
}
