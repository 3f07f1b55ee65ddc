using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Text;
using System.Threading;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// <para type="synopsis">Listens on a TCP, UDP or Unix socket: captures what clients send, echoes it, receives or serves files, is a broker or chat room, or forwards each client to a target; in the foreground (events as objects) or in the background (-Background).</para>
/// <para type="description">The nsock listen command as a cmdlet. In the foreground it writes an object per event (ready, connected, data, closed, rejected, datagram, file, stopped) until Ctrl+C, -Count or -Timeout. With -Background it returns a SocketListener, a PowerShell job (Get-Job, Wait-Job, Receive-Job, Stop-Job) with its address, real port, mode and counters, that keeps serving until it ends by itself or is stopped (Stop-SocketListener, Stop-Job), or its session closes.</para>
/// </summary>
[Cmdlet(VerbsCommon.New, "SocketListener", DefaultParameterSetName = PortSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SocketListenerEvent))]
[OutputType(typeof(SocketListener))]
public sealed class NewSocketListenerCommand : NsockCmdlet
{
    private Given<long> _maxBytes;
    private Given<long> _count;
    private Given<int> _maxClients;
    private Given<double> _idleTimeout;
    private Given<double> _handshakeTimeout;
    private Given<double> _timeout;

    private const string PortSet = "Port";
    private const string EndpointSet = "Endpoint";

    private readonly List<byte[]> _input = new();
    private InputRecords? _records;
    private bool _hasInput;

    /// <summary>The port to listen on; 0 picks a free one (the ready event and the listener object say which).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PortSet)]
    [ValidateRange(0, 65535)]
    public int Port { get; set; }

    /// <summary>The address to listen on (default: every interface, IPv6 and IPv4).</summary>
    [Parameter(ParameterSetName = PortSet)]
    [Alias("Address")]
    [ValidateNotNullOrEmpty]
    public string? LocalAddress { get; set; }

    /// <summary>Where to listen, in the nsock command's syntax: port, :port, host:port, [v6addr]:port, unix:/path, tcp://, udp://.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = EndpointSet)]
    [ValidateNotNullOrEmpty]
    public string? Endpoint { get; set; }

    /// <summary>Listen for UDP datagrams.</summary>
    [Parameter]
    public SwitchParameter Udp { get; set; }

    /// <summary>Send every byte back to its sender (concurrent clients; UDP: answer each datagram).</summary>
    [Parameter]
    public SwitchParameter Echo { get; set; }

    /// <summary>Receive files sent with Send-File into this folder (each verified by the digest the sender names, XXH3-128 or SHA-256; never half-written).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReceiveFiles { get; set; }

    /// <summary>Serve the files of this folder: a client sends a name and a newline and gets the bytes.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ServeFiles { get; set; }

    /// <summary>With -ReceiveFiles: let received files replace existing ones.</summary>
    [Parameter]
    public SwitchParameter Overwrite { get; set; }

    /// <summary>With -ReceiveFiles: flush each file to disk before it is put in place and reported verified.</summary>
    [Parameter]
    public SwitchParameter Fsync { get; set; }

    /// <summary>With -ReceiveFiles: accept at most this many bytes of files in all.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long MaxBytes
    {
        get => _maxBytes.Value;
        set => _maxBytes.Value = value;
    }

    /// <summary>Keep accepting clients after the first (always so with -Echo); pipeline input then goes to every client connected when it is read.</summary>
    [Parameter]
    public SwitchParameter KeepOpen { get; set; }

    /// <summary>Stop after this many clients (UDP: datagrams).</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long Count
    {
        get => _count.Value;
        set => _count.Value = value;
    }

    /// <summary>Clients served at once (default 100); more wait until a slot frees.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int MaxClients
    {
        get => _maxClients.Value;
        set => _maxClients.Value = value;
    }

    /// <summary>Only serve peers in these CIDR blocks (e.g. 127.0.0.0/8, ::1).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Allow { get; set; }

    /// <summary>Refuse peers in these CIDR blocks (wins over -Allow). Refused TCP peers are reset.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Deny { get; set; }

    /// <summary>Data to send to the client (relay mode): strings (encoded with -Encoding) or bytes; after it the client is half-closed, as with nc -l &lt; file.</summary>
    [Parameter(ValueFromPipeline = true)]
    [AllowNull]
    [AllowEmptyString]
    public object? InputObject { get; set; }

    /// <summary>Relay mode: discard what the client sends (only send the input).</summary>
    [Parameter]
    public SwitchParameter SendOnly { get; set; }

    /// <summary>Relay mode: do not half-close the client when the input ends.</summary>
    [Parameter]
    public SwitchParameter NoShutdown { get; set; }

    /// <summary>Close a client that sends nothing and is sent nothing for this many seconds, whether or not input is still coming; the listener goes on (nsock listen --idle-timeout). Relay and echo modes: default, and 0, let a quiet client stay. -ReceiveFiles and -ServeFiles: drop a client silent this long (default 60 s and 30 s; 0: never), and give it this long for the greeting, each file header (default 10 s) or the served file name (30 s) and as the window of the minimum rate of a file's bytes (500 bytes a second). TCP and Unix only.</summary>
    [Parameter]
    public double IdleTimeout
    {
        get => _idleTimeout.Value;
        set => _idleTimeout.Value = value;
    }

    /// <summary>Record every client's bytes, both ways, as a hex dump in this file, each chunk under a line with its direction, time, client number and size (relay and echo modes; nsock listen --hex-dump).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HexDumpPath { get; set; }

    /// <summary>Record every client's bytes, both ways, as they are, in this file, each chunk under a line with its direction, time, client number and size (relay and echo modes; nsock listen --output).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputPath { get; set; }

    /// <summary>Stop listening after this many seconds (foreground and background).</summary>
    [Parameter]
    [Alias("TimeoutSec")]
    public double Timeout
    {
        get => _timeout.Value;
        set => _timeout.Value = value;
    }

    /// <summary>Speak TLS to every client (TCP), with -CertificatePath (and -KeyPath), -Certificate or -SelfSignedCertificate (nsock listen --tls).</summary>
    [Parameter]
    public SwitchParameter UseTls { get; set; }

    /// <summary>The listener's certificate: a PEM file (its key in -KeyPath or in the same file) or a PFX file, with -UseTls (nsock listen --cert).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of -CertificatePath (nsock listen --key).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KeyPath { get; set; }

    /// <summary>The password of a PFX or an encrypted PEM key (nsock listen --cert-password).</summary>
    [Parameter]
    public System.Security.SecureString? CertificatePassword { get; set; }

    /// <summary>The listener's certificate as an X509Certificate2 with its private key (from Get-PfxCertificate or the certificate store), with -UseTls, instead of -CertificatePath.</summary>
    [Parameter]
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; set; }

    /// <summary>TLS with a certificate made in memory for this listener (ECDSA P-256, 7 days, for localhost and the listen address); its key pin is on the ready event and the listener object (nsock listen --tls-self-signed).</summary>
    [Parameter]
    public SwitchParameter SelfSignedCertificate { get; set; }

    /// <summary>Require every client to present a certificate from one of the CAs in this PEM file: mutual TLS (nsock listen --client-ca).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ClientCertificateAuthorityPath { get; set; }

    /// <summary>Seconds a TLS client has to finish its handshake (default 10; 0: no limit); a client that does not is rejected, the others are served meanwhile (nsock listen --handshake-timeout).</summary>
    [Parameter]
    public double HandshakeTimeout
    {
        get => _handshakeTimeout.Value;
        set => _handshakeTimeout.Value = value;
    }

    /// <summary>Return a SocketListener (a PowerShell job) at once and serve in the background until it ends or is stopped (Stop-SocketListener, Stop-Job).</summary>
    [Parameter]
    [Alias("AsJob")]
    public SwitchParameter Background { get; set; }

    /// <summary>A name for a background listener and its job (Get-SocketListener -Name, Get-Job -Name); default ListenerN, N its id.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>How strings in the input are encoded and client data decoded into Text (default utf8).</summary>
    [Parameter]
    [EncodingTransformation]
    [ArgumentCompleter(typeof(EncodingCompleter))]
    public Encoding? Encoding { get; set; }

    /// <summary>A broker (ncat --broker): what a client sends goes to every other client and is written as data events; pipeline input goes to every client.</summary>
    [Parameter]
    public SwitchParameter Broker { get; set; }

    /// <summary>A chat room (ncat --chat): clients named user&lt;N&gt; (/nick NAME), their lines relayed to the others as &lt;name&gt; text; join, leave, message and nick events.</summary>
    [Parameter]
    public SwitchParameter Chat { get; set; }

    /// <summary>Forward each client to this endpoint (host:port, [v6addr]:port, unix:/path), a connection of its own, bytes both ways with half-close (socat TCP-LISTEN,fork TCP:host:port).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ForwardTo { get; set; }

    /// <summary>Run this program for each client (ncat -e, nsock listen --exec): the program and its arguments, one per element, passed as they are without a shell (-Exec 'python3','echo.py','--name','my service'). Its stdin is what the client sends, its stdout goes to the client, its stderr stays local; NSOCK_PEER holds the client's address. One client unless -KeepOpen (a program per client, at most -MaxClients at once; -Allow/-Deny checked before a program starts). WARNING: whoever can connect gets a program running as you, fed whatever they send; bind to loopback or restrict peers with -Allow, and never expose a shell. PowerShell 7 only.</summary>
    [Parameter]
    [ValidateNotNull] // an empty argument is an argument; an empty program is the engine's to refuse
    public string[]? Exec { get; set; }

    /// <summary>Run this command line through the shell for each client (ncat -c, nsock listen --sh-exec): /bin/sh -c LINE, cmd.exe /d /c LINE on Windows. Otherwise as -Exec (the same warning, more so: quoting mistakes in the line are yours). PowerShell 7 only.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ShellExec { get; set; }

    /// <summary>With -ForwardTo tls://host:port: do not verify the target's certificate (a warning says so; the forwarded event's Tls.Verified says whether it would have passed).</summary>
    [Parameter]
    [Alias("Insecure")]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>With -ForwardTo tls://host:port: a PEM file of CA certificates that verify the target instead of the system store (nsock forward --ca).</summary>
    [Parameter]
    [Alias("CaPath")]
    [ValidateNotNullOrEmpty]
    public string? CertificateAuthorityPath { get; set; }

    /// <summary>With -ForwardTo tls://host:port: the server name to send the target and verify (default: the target's host).</summary>
    [Parameter]
    [Alias("Sni")]
    [ValidateNotNullOrEmpty]
    public string? ServerName { get; set; }

    /// <summary>With -ForwardTo tls://host:port: accept exactly these target keys, sha256:BASE64 of the SubjectPublicKeyInfo (nsock forward --pin); the chain need not verify.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Pin { get; set; }

    /// <summary>With -ForwardTo tls://host:port: the application protocols to offer the target, in order of preference (nsock forward --alpn).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Alpn { get; set; }

    /// <summary>With -ForwardTo tls://host:port: the certificate to send the target (mutual TLS) as an X509Certificate2 with its private key; -Certificate is the listener's own.</summary>
    [Parameter]
    [ValidateNotNull]
    public System.Security.Cryptography.X509Certificates.X509Certificate2? ForwardCertificate { get; set; }

    /// <summary>With -ForwardTo tls://host:port: the certificate to send the target from a file, PEM (key in -ForwardKeyPath or in the same file) or PFX (nsock forward --target-cert); -CertificatePath is the listener's own.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ForwardCertificatePath { get; set; }

    /// <summary>The PEM private key of -ForwardCertificatePath (nsock forward --target-key).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ForwardKeyPath { get; set; }

    /// <summary>The password of a PFX -ForwardCertificatePath or of an encrypted PEM key (nsock forward --target-cert-password).</summary>
    [Parameter]
    [ValidateNotNull]
    public System.Security.SecureString? ForwardCertificatePassword { get; set; }

    /// <summary>Listen on IPv4 only.</summary>
    [Parameter]
    public SwitchParameter IPv4 { get; set; }

    /// <summary>Listen on IPv6 only.</summary>
    [Parameter]
    public SwitchParameter IPv6 { get; set; }

    private Encoding TextEncoding => Encoding ?? EncodingNames.Default;

    /// <summary>Prepares the input conversion.</summary>
    protected override void BeginProcessing() => _records = new InputRecords(TextEncoding, newline: false);

    /// <summary>Collects the input for the client (the listener starts once all of it is known).</summary>
    protected override void ProcessRecord()
    {
        if (!MyInvocation.BoundParameters.ContainsKey(nameof(InputObject))) return;
        _hasInput = true;
        foreach (object? value in Items(InputObject))
        {
            if (value is FileInfo file)
            {
                if (_records!.Flush() is byte[] joined) _input.Add(joined);
                Try(() => _input.Add(File.ReadAllBytes(file.FullName)), file);
            }
            else
            {
                _input.AddRange(_records!.Add(value));
            }
        }
    }

    /// <summary>Binds, then serves in the foreground or hands back a background listener.</summary>
    protected override void EndProcessing()
    {
        if (_records!.Flush() is byte[] last) _input.Add(last);
        var request = new ListenRequest
        {
            Endpoint = Endpoint,
            LocalAddress = LocalAddress,
            Port = Endpoint is null ? Port : null,
            Udp = Udp.IsPresent,
            IPv4 = IPv4.IsPresent,
            IPv6 = IPv6.IsPresent,
            Echo = Echo.IsPresent,
            ReceiveFiles = ReceiveFiles is null ? null : GetUnresolvedProviderPathFromPSPath(ReceiveFiles),
            ServeFiles = ServeFiles is null ? null : GetUnresolvedProviderPathFromPSPath(ServeFiles),
            Overwrite = Overwrite.IsPresent,
            Fsync = Fsync.IsPresent,
            FilesByteLimit = _maxBytes.OrNull,
            KeepOpen = KeepOpen.IsPresent,
            ClientCount = _count.OrNull,
            MaxClients = _maxClients.OrNull,
            Allow = Allow,
            Deny = Deny,
            HasInput = _hasInput,
            SendOnly = SendOnly.IsPresent,
            NoShutdown = NoShutdown.IsPresent,
            ClientIdleTimeout = _idleTimeout.OrNull,
            HexDumpPath = HexDumpPath is null ? null : GetUnresolvedProviderPathFromPSPath(HexDumpPath),
            OutputPath = OutputPath is null ? null : GetUnresolvedProviderPathFromPSPath(OutputPath),
            Broker = Broker.IsPresent,
            Chat = Chat.IsPresent,
            ForwardTo = ForwardTo,
            Tls = UseTls.IsPresent,
            CertificatePath = CertificatePath is null ? null : GetUnresolvedProviderPathFromPSPath(CertificatePath),
            KeyPath = KeyPath is null ? null : GetUnresolvedProviderPathFromPSPath(KeyPath),
            CertificatePassword = CertificatePassword is null ? null : new System.Net.NetworkCredential("", CertificatePassword).Password,
            Certificate = Certificate,
            TlsSelfSigned = SelfSignedCertificate.IsPresent,
            ClientCaPath = ClientCertificateAuthorityPath is null ? null : GetUnresolvedProviderPathFromPSPath(ClientCertificateAuthorityPath),
            TlsHandshakeTimeout = _handshakeTimeout.OrNull,
            ExecArguments = Exec,
            ShExec = ShellExec,
            TargetInsecure = SkipCertificateCheck.IsPresent,
            TargetCaFile = CertificateAuthorityPath is null ? null : GetUnresolvedProviderPathFromPSPath(CertificateAuthorityPath),
            TargetSni = ServerName,
            TargetPin = Pin is null ? null : string.Join(",", Pin),
            TargetAlpn = Alpn is null ? null : string.Join(",", Alpn),
            TargetCertificate = ForwardCertificate,
            TargetCertificatePath = ForwardCertificatePath is null ? null : GetUnresolvedProviderPathFromPSPath(ForwardCertificatePath),
            TargetKeyPath = ForwardKeyPath is null ? null : GetUnresolvedProviderPathFromPSPath(ForwardKeyPath),
            TargetCertificatePassword = ForwardCertificatePassword is null ? null : new System.Net.NetworkCredential("", ForwardCertificatePassword).Password,
        };
        ListenerOptions options = CheckParameters(() =>
        {
            if (Name is not null && !Background.IsPresent) throw BadInput.Error("-Name names a background listener: it applies with -Background");
            return ListenerBinding.Apply(request).Validate(ParameterNames.Instance).Options;
        }, Endpoint ?? Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // -Timeout is this cmdlet's own: how long the listener lives (0 or not given: until stopped).
        TimeSpan? lifetime = CheckParameters(() => _timeout.OrNull is double s && ConnectTarget.SecondsProblem(s, "-Timeout") is string problem
            ? throw BadInput.Error(problem)
            : _timeout.OrNull is double t && t > 0 ? TimeSpan.FromSeconds(t) : (TimeSpan?)null, Timeout);

        string action = options.Mode switch
        {
            ListenerMode.ReceiveFiles => $"Listen on {options.Endpoint} and write received files into {options.FileDirectory}{(options.Overwrite ? ", replacing existing ones" : "")}",
            ListenerMode.ServeFiles => $"Listen on {options.Endpoint} and serve the files of {options.FileDirectory}",
            ListenerMode.Forward => $"Listen on {options.Endpoint} and forward each client to {ForwardTo}",
            ListenerMode.Exec => $"Listen on {options.Endpoint} and run '{NsockText.Printable(string.Join(" ", options.Exec!))}' for {(options.KeepOpen ? "each client" : "one client")}",
            _ => $"Listen on {options.Endpoint} ({options.Mode})",
        };
        if (!ShouldProcess(options.Endpoint.ToString(), action)) return;
        if (SkipCertificateCheck.IsPresent) WriteWarning("-SkipCertificateCheck: the target's certificate is not verified");

        Listener? listener = null;
        if (!Try(() => listener = Listener.BindAsync(options, StopToken).GetAwaiter().GetResult(), options.Endpoint.ToString())) return;
        WriteVerbose("listening on " + listener!.Ready.Endpoint);
        if (listener.Ready.TlsKeyPin is string pin) WriteVerbose($"TLS key pin {pin}, certificate SHA-256 {listener.Ready.TlsCertificateSha256}");
        if (Background.IsPresent)
        {
            SocketListener job = SocketListener.Start(SocketListener.CurrentOwner, listener, options, _hasInput ? _input : null, TextEncoding, lifetime, Name);
            JobRepository.Add(job);
            WriteObject(job);
            return;
        }
        using (listener)
        {
            Serve(listener, options, lifetime);
        }
    }

    private void Serve(Listener listener, ListenerOptions options, TimeSpan? lifetime)
    {
        using var life = CancellationTokenSource.CreateLinkedTokenSource(StopToken);
        if (lifetime is TimeSpan t) life.CancelAfter(t);
        // The chat's lines come as message events; the relay's and the broker's bytes as data events.
        bool relay = options.Mode == ListenerMode.Broker || (options.Mode == ListenerMode.Relay && options.Relay.Direction != RelayDirection.SendOnly);
        Stream? input = _hasInput ? InputRecordStream.Of(_input) : null;
        Decoder decoder = TextEncoding.GetDecoder();
        var run = new EngineRun<ListenerResult>((sink, ct) =>
            listener.RunAsync(input, relay ? new PipelineOutputStream(sink, null, chunks: true, progress: false) : null, sink, ct), life.Token);

        void Deliver(object item)
        {
            switch (item)
            {
                case DataChunk d:
                    char[] chars = new char[decoder.GetCharCount(d.Data, 0, d.Data.Length)];
                    decoder.GetChars(d.Data, 0, d.Data.Length, chars, 0);
                    WriteObject(ListenerEventMapper.Data(d.Data, new string(chars), DateTime.Now));
                    break;
                case NsockEvent e:
                    WriteObject(ListenerEventMapper.From(e, DateTime.Now));
                    break;
            }
        }

        ListenerResult result;
        try
        {
            result = run.DrainToEnd(Deliver, StopToken);
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (OperationCanceledException) when (life.IsCancellationRequested)
        {
            WriteObject(ListenerEventMapper.Stopped(null, $"-Timeout of {lifetime!.Value.TotalSeconds}s passed", DateTime.Now));
            return;
        }
        catch (Exception e) when (ErrorMapping.For(e) is not null)
        {
            WriteError(ToErrorRecord(e, options.Endpoint.ToString()));
            return;
        }
        string reason = options.Count is long n ? $"-Count {n} reached" : "the client's connection ended";
        WriteObject(ListenerEventMapper.Stopped(result, reason, DateTime.Now));
        if (result.Relay?.Error is NsockException error) WriteError(ToErrorRecord(error, options.Endpoint.ToString()));
    }
}
