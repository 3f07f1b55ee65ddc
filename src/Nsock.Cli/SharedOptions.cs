using System.CommandLine;

namespace Nsock.Cli;

/// <summary>
/// Options that mean the same in several commands, declared once (as the dotnet SDK and Aspire CLIs share theirs):
/// one spelling, one description, one default. A command adds the ones it takes. One instance per command tree
/// (as <see cref="GlobalOptions"/>): an option records the commands it belongs to, so trees built side by side
/// (the in-process tests) must not share option objects.
/// </summary>
internal sealed class SharedOptions
{
    /// <summary>The peer to connect to (connect, send).</summary>
    public Argument<string> Peer { get; } = new("endpoint") { Description = "host:port, [v6addr]:port, unix:/path, optionally tcp:// udp:// unix://" };

    public Option<bool> Udp { get; } = new("--udp", "-u") { Description = "UDP instead of TCP (connect, send: each read of the input is one datagram; listen: datagrams; probe: UDP probes)" };

    public Option<bool> SendOnly { get; } = new("--send-only") { Description = "Only send stdin; what the peer sends is read and discarded" };

    public Option<bool> RecvOnly { get; } = new("--recv-only") { Description = "Only print what the peer sends; stdin is not read" };

    public Option<bool> NoShutdown { get; } = new("--no-shutdown") { Description = "Do not half-close when stdin ends" };

    /// <summary>--source ADDR[:PORT] (nc -s; nc's -p is :PORT here): every connecting command but ping, where -s is --size.</summary>
    public Option<string?> Source { get; } = new("--source", "-s") { Description = SourceDescription, HelpName = "ADDR[:PORT]" };

    /// <summary>--source without the -s alias, for ping (whose -s is --size, as in ping(8)).</summary>
    public Option<string?> SourceLongOnly { get; } = new("--source") { Description = SourceDescription, HelpName = "ADDR[:PORT]" };

    public Option<bool> Crlf { get; } = new("--crlf", "-C") { Description = "Send each line feed of the input as CR LF (a CR LF already there stays)" };

    public Option<double?> Delay { get; } = new("--delay", "-i") { HelpName = "SECONDS", Description = "Send the input a line at a time, pausing this many seconds before each line after the first" };

    public Option<string?> HexDump { get; } = new("--hex-dump", "-x") { Description = "Record both directions as a hex dump in FILE, each chunk marked with its direction, time and size", HelpName = "FILE" };

    public Option<string?> Output { get; } = new("--output", "-o") { Description = "Record both directions, as they are, in FILE, each chunk marked with its direction, time and size", HelpName = "FILE" };

    private const string SourceDescription = "Connect from this local address and/or port: ADDR, ADDR:PORT, [v6addr]:PORT or :PORT (a port given is reusable at once: SO_REUSEADDR)";
    // The listening verbs' client limits and filters (listen, forward).
    public Option<int> MaxClients { get; } = new("--max-clients") { Description = "Clients served at once; more wait until a slot frees", DefaultValueFactory = _ => Nsock.Core.ListenerOptions.DefaultMaxClients };

    public Option<long?> Count { get; } = new("--count", "-n") { Description = "Stop after this many clients (UDP: datagrams)" };

    public Option<string[]> Allow { get; } = new("--allow") { Description = "Only serve peers in these CIDR blocks (repeatable, comma-separated)", AllowMultipleArgumentsPerToken = false };

    public Option<string[]> Deny { get; } = new("--deny") { Description = "Refuse peers in these CIDR blocks (repeatable, comma-separated; wins over --allow)" };

    public Option<double?> Stats { get; } = new("--stats") { HelpName = "SECONDS", Description = "Print the listener's counters (clients, bytes, datagrams, files, errors) every SECONDS (default 10), on SIGUSR1 and at exit: a line on stderr, or a 'stats' event with --json", Arity = ArgumentArity.ZeroOrOne };

    // TLS on a connection (connect, send, recv); a tls://host:port endpoint turns it on too.
    public Option<bool> Tls { get; } = new("--tls") { Description = "Speak TLS (the server's certificate is verified against the system store; tls://host:port says it too)" };

    public Option<string?> Ca { get; } = new("--ca") { Description = "With TLS: verify the server against the CA certificates in this PEM file instead of the system store", HelpName = "FILE" };

    public Option<bool> Insecure { get; } = new("--insecure", "-k") { Description = "With TLS: do not verify the server's certificate (a warning says so)" };

    public Option<string?> Sni { get; } = new("--sni") { Description = "With TLS: the server name to send and verify (default: the host)", HelpName = "NAME" };

    public Option<string?> Pin { get; } = new("--pin") { Description = "With TLS: accept exactly this server key, sha256:BASE64 of its SubjectPublicKeyInfo (several comma-separated; the chain need not verify; -v and the tls event show the server's pin)", HelpName = "sha256:BASE64" };

    public Option<string?> Alpn { get; } = new("--alpn") { Description = "With TLS: the application protocols to offer, comma-separated in order of preference (h2,http/1.1); the tls event says which one the server chose", HelpName = "PROTOCOLS" };

    public Option<string?> Cert { get; } = new("--cert") { Description = "With TLS: my certificate for mutual TLS: PEM (key in --key or in the same file) or PKCS#12 (.pfx/.p12)", HelpName = "FILE" };

    public Option<string?> Key { get; } = new("--key") { Description = "With --cert: the PEM private key", HelpName = "FILE" };

    public Option<string?> CertPassword { get; } = new("--cert-password") { Description = "With --cert: the PKCS#12 password or an encrypted PEM key's (or set NSOCK_CERT_PASSWORD, which other users cannot see in the process list)", HelpName = "PASSWORD" };

    /// <summary>Adds the TLS options to a connecting command.</summary>
    public void AddTls(System.CommandLine.Command command)
    {
        command.Add(Tls);
        command.Add(Ca);
        command.Add(Insecure);
        command.Add(Sni);
        command.Add(Pin);
        command.Add(Alpn);
        command.Add(Cert);
        command.Add(Key);
        command.Add(CertPassword);
    }

    /// <summary>The target with the TLS options as given; the engine checks them.</summary>
    public Nsock.Core.ConnectTarget WithTls(CommandContext ctx, Nsock.Core.ConnectTarget target) => target with
    {
        Tls = ctx.Get(Tls),
        CaFile = ctx.Get(Ca),
        Insecure = ctx.Get(Insecure),
        Sni = ctx.Get(Sni),
        Pin = ctx.Get(Pin),
        Alpn = ctx.Get(Alpn),
        CertificateFile = ctx.Get(Cert),
        KeyFile = ctx.Get(Key),
        // As listen --cert: NSOCK_CERT_PASSWORD when --cert-password is not given (the process list shows arguments to every user).
        CertificatePassword = ctx.Get(CertPassword) ?? (ctx.Get(Cert) is null ? null : System.Environment.GetEnvironmentVariable("NSOCK_CERT_PASSWORD") is { Length: > 0 } p ? p : null),
    };

    /// <summary>
    /// --proxy URL for every connecting command (connect, send, recv, send-file, ping --tcp, probe, http). Not read
    /// from ALL_PROXY/HTTPS_PROXY: a socket tool goes where it is told.
    /// </summary>
    public Option<string?> Proxy { get; } = new("--proxy") { HelpName = "URL", Description = "Connect through this proxy: socks5://[user:pass@]host:port (the proxy resolves names) or http://[user:pass@]host:port (HTTP CONNECT); TCP only. Environment variables such as ALL_PROXY are not read" };

    // TLS on a listener's clients (listen, forward): the listener's own certificate. On forward these are the
    // listening side's; its target's TLS has options of its own (ForwardCommand).
    public Option<bool> ListenTls { get; } = new("--tls") { Description = "Speak TLS to every client, with --cert (and --key) or --tls-self-signed" };

    public Option<string?> ListenCert { get; } = new("--cert") { HelpName = "FILE", Description = "With --tls: the listener's certificate, PEM (its key in --key or in the same file) or PFX" };

    public Option<string?> ListenKey { get; } = new("--key") { HelpName = "FILE", Description = "With --tls: the PEM private key of --cert" };

    public Option<string?> ListenCertPassword { get; } = new("--cert-password") { HelpName = "PASSWORD", Description = "The password of a PFX or an encrypted PEM key (or set NSOCK_CERT_PASSWORD, which other users cannot see in the process list)" };

    public Option<bool> ListenSelfSigned { get; } = new("--tls-self-signed") { Description = "TLS with a certificate made in memory for this run (ECDSA P-256, 7 days); its key pin is printed for clients to --pin" };

    public Option<string?> ListenClientCa { get; } = new("--client-ca") { HelpName = "FILE", Description = "With --tls: require a client certificate from one of the CAs in this PEM file (mutual TLS)" };

    public Option<double?> ListenHandshakeTimeout { get; } = new("--handshake-timeout") { HelpName = "SECONDS", Description = "With --tls: seconds a client has to finish the handshake (default 10; 0: no limit)" };

    /// <summary>Adds a listener's TLS options (listen, forward).</summary>
    public void AddListenerTls(System.CommandLine.Command command)
    {
        command.Add(ListenTls);
        command.Add(ListenCert);
        command.Add(ListenKey);
        command.Add(ListenCertPassword);
        command.Add(ListenSelfSigned);
        command.Add(ListenClientCa);
        command.Add(ListenHandshakeTimeout);
    }

    /// <summary>The request with the listener's TLS options as given; the engine checks them.</summary>
    public Nsock.Core.ListenRequest WithListenerTls(CommandContext ctx, Nsock.Core.ListenRequest request) => request with
    {
        Tls = ctx.Get(ListenTls),
        CertificatePath = ctx.Get(ListenCert),
        KeyPath = ctx.Get(ListenKey),
        CertificatePassword = ctx.Get(ListenCertPassword) ?? (ctx.Get(ListenCert) is null ? null : System.Environment.GetEnvironmentVariable("NSOCK_CERT_PASSWORD") is { Length: > 0 } p ? p : null),
        TlsSelfSigned = ctx.Get(ListenSelfSigned),
        ClientCaPath = ctx.Get(ListenClientCa),
        TlsHandshakeTimeout = ctx.Get(ListenHandshakeTimeout),
    };
}
