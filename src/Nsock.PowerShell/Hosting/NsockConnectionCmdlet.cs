using System.Management.Automation;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// The parameters every cmdlet that connects to one peer shares, declared once (as PowerShell's own
/// WebRequestPSCmdlet holds Uri, Method and the rest): <c>-ComputerName</c>/<c>-Port</c> (by position) or
/// <c>-Endpoint</c>, <c>-Timeout</c>, <c>-IPv4</c>/<c>-IPv6</c>. The target also binds by property name, so
/// <c>Import-Csv targets.csv | Send-SocketData</c> works row by row: a target given on the command line serves all
/// pipeline input over one connection; a target that comes from the pipeline is one connection per record.
/// Whether a value was given is tracked by the properties themselves (no BoundParameters), so a test can build a
/// cmdlet object, set properties and map it without a runspace.
/// </summary>
public abstract class NsockConnectionCmdlet : NsockCmdlet
{
    private double _timeout;
    private bool _targetOnCommandLine;

    /// <summary>The host: a name or an address (IPv6 without brackets is fine). Binds by property name (RemoteAddress, TargetName too).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("RemoteAddress", "Cn", "TargetName", "HostName")]
    [ValidateNotNullOrEmpty]
    public virtual string? ComputerName { get; set; }

    /// <summary>The port (with -ComputerName). Binds by property name (RemotePort too).</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("RemotePort")]
    [ValidateRange(1, 65535)]
    public int Port { get; set; }

    /// <summary>The peer in the nsock command's syntax: host:port, [v6addr]:port, unix:/path, tcp://, udp://, unix://. Binds by property name.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public virtual string? Endpoint { get; set; }

    /// <summary>Seconds (0: never time out); what it bounds and its default are each cmdlet's own (see its help).</summary>
    [Parameter]
    [Alias("TimeoutSec")]
    public double Timeout
    {
        get => _timeout;
        set
        {
            _timeout = value;
            TimeoutGiven = true;
        }
    }

    /// <summary>Use IPv4 only.</summary>
    [Parameter]
    public SwitchParameter IPv4 { get; set; }

    /// <summary>Use IPv6 only.</summary>
    [Parameter]
    public SwitchParameter IPv6 { get; set; }

    /// <summary>The local IP address to connect from (as Test-NetConnection -SourceAddress; nc -s). Only the target's addresses of its family are tried.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SourceAddress { get; set; }

    /// <summary>The local port to connect from (nc -p), e.g. for a firewall rule about source ports; reusable at once (SO_REUSEADDR).</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int SourcePort { get; set; }

    /// <summary>
    /// The proxy to connect through, as Invoke-WebRequest's -Proxy: socks5://[user:pass@]host:port (the proxy resolves
    /// names) or http://[user:pass@]host:port (HTTP CONNECT). TCP only. $env:ALL_PROXY and friends are not read.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Proxy { get; set; }

    /// <summary>The proxy's user name and password (as Invoke-WebRequest's -ProxyCredential), instead of user:pass@ in -Proxy.</summary>
    [Parameter]
    [Credential]
    public PSCredential? ProxyCredential { get; set; }

    /// <summary>True when -Timeout was given (0 included).</summary>
    protected bool TimeoutGiven { get; private set; }

    /// <summary>-Timeout when given, else null (the cmdlet's default applies).</summary>
    protected double? GivenTimeout => TimeoutGiven ? _timeout : null;

    /// <summary>-Port when given, else null.</summary>
    protected int? GivenPort => Port == 0 ? null : Port;

    /// <summary>True when this record names its own peer (bound from the pipeline by property name), so it is a connection of its own.</summary>
    protected bool TargetPerRecord => !_targetOnCommandLine;

    /// <summary>The peer as given, for error targets and messages.</summary>
    protected string? TargetText => Endpoint ?? (ComputerName is null ? null : GivenPort is int p ? ConnectTarget.Join(ComputerName, p) : ComputerName);

    /// <summary>Notes whether the target came on the command line (pipeline values are bound only later, per record).</summary>
    protected override void BeginProcessing()
    {
        _targetOnCommandLine = ComputerName is not null || Endpoint is not null;
    }

    /// <summary>The target as the engine's requests take it; the request checks it, naming these parameters.</summary>
    internal ConnectTarget Target(bool udp = false) => new()
    {
        Endpoint = Endpoint,
        Host = ComputerName,
        Port = GivenPort,
        Udp = udp,
        Timeout = GivenTimeout,
        IPv4 = IPv4.IsPresent,
        IPv6 = IPv6.IsPresent,
        SourceAddress = SourceAddress,
        SourcePort = SourcePort == 0 ? null : SourcePort,
        Proxy = Proxy,
        ProxyCredential = ProxyCredential?.GetNetworkCredential(),
    };
}
