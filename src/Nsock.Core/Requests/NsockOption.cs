namespace Nsock.Core;

/// <summary>
/// The options and parameters whose names appear in messages. Each front end spells them its own way
/// (<see cref="IOptionNames"/>): <c>--max-clients</c> in the command, <c>-MaxClients</c> in PowerShell.
/// </summary>
public enum NsockOption
{
    /// <summary>The peer or listening address (command: the endpoint argument; PowerShell: -ComputerName/-Port or -Endpoint).</summary>
    Endpoint,

    /// <summary>The host, where it is given apart from the port (PowerShell -ComputerName).</summary>
    Host,

    /// <summary>The port, where it is given apart from the host (PowerShell -Port).</summary>
    Port,

    /// <summary>UDP instead of TCP.</summary>
    Udp,

    /// <summary>TCP connect time instead of UDP echo probes (ping).</summary>
    Tcp,

    /// <summary>Seconds allowed; 0 means never.</summary>
    Timeout,

    /// <summary>IPv4 only.</summary>
    IPv4,

    /// <summary>IPv6 only.</summary>
    IPv6,

    /// <summary>Keep what the peer sends back (send).</summary>
    Reply,

    /// <summary>Stop receiving after this many bytes (recv).</summary>
    ByteLimit,

    /// <summary>Stop receiving after this delimiter (recv).</summary>
    Until,

    /// <summary>Probes to send (ping).</summary>
    Count,

    /// <summary>Seconds between probes (ping).</summary>
    Interval,

    /// <summary>Bytes per probe (ping).</summary>
    Size,

    /// <summary>Bytes after the probe header (ping).</summary>
    Payload,

    /// <summary>Probes not counted (ping).</summary>
    Warmup,

    /// <summary>Replace existing files (receive files).</summary>
    Overwrite,

    /// <summary>The receiver's limit on bytes of files in all.</summary>
    FilesByteLimit,

    /// <summary>Continue partial files (send files).</summary>
    Resume,

    /// <summary>Skip TLS certificate verification.</summary>
    Insecure,

    /// <summary>Only send to the peer; discard what it sends (connect, listen).</summary>
    SendOnly,

    /// <summary>Only receive from the peer; do not read the input (connect, listen).</summary>
    ReceiveOnly,

    /// <summary>Do not half-close when the input ends (connect, listen).</summary>
    NoShutdown,

    /// <summary>Seconds to keep reading after the input ended (connect).</summary>
    WaitAfterInputEnds,

    /// <summary>Keep accepting clients (listen).</summary>
    KeepOpen,

    /// <summary>Echo every byte back (listen).</summary>
    Echo,

    /// <summary>Clients served at once (listen).</summary>
    MaxClients,

    /// <summary>Clients (UDP: datagrams) after which a listener stops (listen).</summary>
    ClientCount,

    /// <summary>CIDR blocks a listener serves (listen).</summary>
    Allow,

    /// <summary>CIDR blocks a listener refuses (listen).</summary>
    Deny,

    /// <summary>Receive files into a folder (listen).</summary>
    ReceiveFiles,

    /// <summary>Serve the files of a folder (listen).</summary>
    ServeFiles,

    /// <summary>Flush received files to disk before they are reported (listen).</summary>
    Fsync,

    /// <summary>Seconds a quiet client may stay (listen).</summary>
    IdleTimeout,

    /// <summary>The ports to probe (probe).</summary>
    Ports,

    /// <summary>Probes in flight at once (probe).</summary>
    Parallel,

    /// <summary>Probe again until open (probe).</summary>
    Wait,

    /// <summary>The request method (http).</summary>
    Method,

    /// <summary>Request headers (http).</summary>
    Headers,

    /// <summary>The request body (http).</summary>
    Body,

    /// <summary>A file as the request body (http).</summary>
    BodyFile,

    /// <summary>Send HTTP/1.0 (http).</summary>
    Http10,

    /// <summary>Ask the server to keep the connection (http).</summary>
    KeepAlive,

    /// <summary>Send these request bytes as they are (http).</summary>
    RawRequest,

    /// <summary>Fix bare line feeds in a raw request (http).</summary>
    FixLineEndings,

    /// <summary>The TLS server name (http).</summary>
    ServerName,

    /// <summary>Redirects to follow (http).</summary>
    FollowRedirects,

    /// <summary>Write what arrives to this file (recv, http).</summary>
    OutFile,

    /// <summary>The files, folders and globs to send (send-file).</summary>
    Paths,

    /// <summary>Globs of files to leave out (send-file).</summary>
    Exclude,

    /// <summary>One file's bytes to a plain byte sink, unverified (send-file).</summary>
    Raw,

    /// <summary>What a listener sends to its client (command: stdin; PowerShell: -InputObject).</summary>
    Input,

    /// <summary>The digest that verifies each file (send-file).</summary>
    Hash,

    /// <summary>Seconds the whole HTTP exchange may take, however the server paces its bytes (http).</summary>
    MaxTime,

    /// <summary>The local address (and port) to connect from (connecting verbs; command: --source ADDR[:PORT]).</summary>
    Source,

    /// <summary>The local address to connect from, given apart from the port (PowerShell -SourceAddress).</summary>
    SourceAddress,

    /// <summary>The local port to connect from (PowerShell -SourcePort; the command gives it in --source :PORT).</summary>
    SourcePort,

    /// <summary>Turn each line feed of the input into CR LF on the wire (connect, send).</summary>
    Crlf,

    /// <summary>Seconds to pause between lines sent (connect, send).</summary>
    Delay,

    /// <summary>Record both directions as a hex dump in this file (connect, send, listen).</summary>
    HexDump,

    /// <summary>Record both directions, as they are, in this file (connect, send, listen).</summary>
    Output,

    /// <summary>Seconds a client may send and receive nothing before it is closed (listen).</summary>
    ClientIdleTimeout,

    /// <summary>Relay what each client sends to every other client (listen).</summary>
    Broker,

    /// <summary>A chat room of named clients (listen).</summary>
    Chat,

    /// <summary>Where each client is forwarded (forward's target; New-SocketListener -ForwardTo).</summary>
    ForwardTo,

    /// <summary>A program run for each client, without a shell (listen).</summary>
    Exec,

    /// <summary>A shell command line run for each client (listen).</summary>
    ShExec,

    /// <summary>Only listening sockets (conns).</summary>
    Listening,

    /// <summary>Only sockets in these states (conns).</summary>
    States,

    /// <summary>Only sockets with this local or remote port (conns).</summary>
    SocketPorts,

    /// <summary>Only the sockets of these processes (conns).</summary>
    ProcessId,

    /// <summary>Unix domain sockets (conns).</summary>
    Unix,

    /// <summary>Seconds between looks of a watch (conns).</summary>
    WatchInterval,

    /// <summary>Seconds between a listener's statistics reports (listen, forward).</summary>
    StatisticsInterval,

    /// <summary>TLS on the connection (connect, send, recv).</summary>
    Tls,

    /// <summary>A PEM file of the CAs that verify the server's certificate instead of the system store.</summary>
    CaFile,

    /// <summary>The TLS server name sent and verified.</summary>
    Sni,

    /// <summary>The proxy to connect through: socks5://[user:pass@]host:port or http://[user:pass@]host:port (connecting verbs, http).</summary>
    Proxy,

    /// <summary>The proxy's user name and password given apart from its URL (PowerShell -ProxyCredential).</summary>
    ProxyCredential,

    /// <summary>Our own TLS certificate, a listener's or a client's (mutual TLS): a PEM file (with its key) or a PFX.</summary>
    TlsCertificate,

    /// <summary>The PEM private key of our own TLS certificate.</summary>
    TlsKey,

    /// <summary>The password of a PFX, or of an encrypted PEM key.</summary>
    TlsCertificatePassword,

    /// <summary>A listener's TLS with a certificate made in memory for the run.</summary>
    TlsSelfSigned,

    /// <summary>A PEM file of the CAs a listener's TLS clients must present a certificate from (mutual TLS).</summary>
    TlsClientCa,

    /// <summary>Seconds a listener's TLS client has to finish its handshake.</summary>
    TlsHandshakeTimeout,

    /// <summary>Accept exactly these public keys (sha256:BASE64 of the SubjectPublicKeyInfo) instead of verifying the chain.</summary>
    Pin,

    /// <summary>The application protocols offered in the TLS handshake (ALPN).</summary>
    Alpn,

    /// <summary>Fail (probe: exit 8) when a certificate expires within this many days.</summary>
    ExpiresWithin,

    /// <summary>A forward's certificate for its TLS target (mutual TLS to the target), apart from the listener's own.</summary>
    TargetCertificate,

    /// <summary>The PEM private key of the forward's certificate for its TLS target.</summary>
    TargetKey,

    /// <summary>The password of the forward's certificate for its TLS target (PFX or encrypted PEM key).</summary>
    TargetCertificatePassword,
}
