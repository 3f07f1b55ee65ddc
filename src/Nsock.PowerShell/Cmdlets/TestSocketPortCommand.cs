using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// <para type="synopsis">Tests which ports answer, over TCP (open, closed, filtered) or UDP (open, closed, open|filtered); with -Wait, waits for them to open.</para>
/// <para type="description">The nsock probe command as a cmdlet. Hosts and ports come as parameters, from the pipeline (ports by value; ComputerName/RemoteAddress and Port/RemotePort, or Endpoint, by property name, so Import-Csv targets.csv | Test-SocketPort works row by row). Every row is collected first and all are probed together, concurrently (-Parallel); results come in input order (rows, then hosts, then ports) as soon as everything before them is known.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "SocketPort", DefaultParameterSetName = ComputerNameSet)]
[OutputType(typeof(PortProbeResult))]
[OutputType(typeof(bool))]
public sealed class TestSocketPortCommand : NsockCmdlet
{
    private Given<double> _timeout;
    private Given<int> _parallel;

    private const string ComputerNameSet = "ComputerName", EndpointSet = "Endpoint";

    private readonly List<PortProbeGroup> _rows = new();
    private readonly List<string> _endpoints = new();

    /// <summary>Names, addresses or CIDR blocks (every address of a block; at most 65,536 addresses).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ComputerNameSet, ValueFromPipelineByPropertyName = true)]
    [Alias("RemoteAddress", "Cn", "TargetName", "HostName", "Target")]
    [ValidateNotNullOrEmpty]
    public string[] ComputerName { get; set; } = Array.Empty<string>();

    /// <summary>Ports to probe; pipe them in (22,80,443 | Test-SocketPort -ComputerName host) or give a range (8000..8100).</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ComputerNameSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("RemotePort")]
    [ValidateRange(1, 65535)]
    public int[] Port { get; set; } = Array.Empty<int>();

    /// <summary>host:port to probe, as the command writes endpoints (tcp://h:p, udp://h:p, [::1]:p); one per row of a list.</summary>
    [Parameter(Mandatory = true, ParameterSetName = EndpointSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Endpoint { get; set; } = Array.Empty<string>();

    /// <summary>UDP probes: a reply is open, ICMP port unreachable closed, silence open|filtered.</summary>
    [Parameter]
    public SwitchParameter Udp { get; set; }

    /// <summary>Seconds each probe waits (default 1); with -Wait, the total wait (default 10; 0: no limit).</summary>
    [Parameter]
    [Alias("TimeoutSec")]
    public double Timeout
    {
        get => _timeout.Value;
        set => _timeout.Value = value;
    }

    /// <summary>Probes in flight at once (default 100).</summary>
    [Parameter]
    [ValidateRange(1, ProbeRequest.MaxParallel)]
    public int Parallel
    {
        get => _parallel.Value;
        set => _parallel.Value = value;
    }

    /// <summary>Probe each port again every 250 ms until it is open or -Timeout has passed (a deployment's "wait for the database" step).</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>Return only $true (every port open) or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

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

    /// <summary>Look at every open TCP port with a TLS handshake (nsock probe --tls): each result's Tls says whether it speaks TLS, the certificate's subject, expiry and days left, and whether it verifies. Any certificate is accepted for the look.</summary>
    [Parameter]
    [Alias("Tls")]
    public SwitchParameter UseTls { get; set; }

    /// <summary>With -UseTls: a PEM file of CAs to verify against instead of the system store (nsock --ca).</summary>
    [Parameter]
    [Alias("CaPath")]
    [ValidateNotNullOrEmpty]
    public string? CertificateAuthorityPath { get; set; }

    /// <summary>With -UseTls: the server name to ask for and verify (default: each target's name).</summary>
    [Parameter]
    [Alias("Sni")]
    [ValidateNotNullOrEmpty]
    public string? ServerName { get; set; }

    /// <summary>With -UseTls: days; a certificate expiring within them (or expired) writes an error naming it, and -Quiet answers $false (nsock probe --expires-within, exit 8).</summary>
    [Parameter]
    [ValidateRange(0, 36500)]
    public double ExpiresWithin
    {
        get => _expiresWithin.Value;
        set => _expiresWithin.Value = value;
    }

    private Given<double> _expiresWithin;

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

    /// <summary>Collects each record's hosts and ports (all of them are probed together, concurrently, at the end).</summary>
    protected override void ProcessRecord()
    {
        if (ParameterSetName == EndpointSet) _endpoints.AddRange(Endpoint);
        else _rows.Add(new PortProbeGroup(ComputerName.ToArray(), Port.ToArray()));
    }

    /// <summary>Probes, writing each result in order as soon as it is known.</summary>
    protected override void EndProcessing()
    {
        var request = new ProbeRequest
        {
            Groups = _rows,
            Endpoints = _endpoints,
            Udp = Udp.IsPresent,
            Timeout = _timeout.OrNull,
            Parallel = _parallel.OrNull,
            Wait = Wait.IsPresent,
            IPv4 = IPv4.IsPresent,
            IPv6 = IPv6.IsPresent,
            SourceAddress = SourceAddress,
            SourcePort = SourcePort == 0 ? null : SourcePort,
            Tls = UseTls.IsPresent,
            CaFile = CertificateAuthorityPath is null ? null : GetUnresolvedProviderPathFromPSPath(CertificateAuthorityPath),
            Sni = ServerName,
            ExpiresWithinDays = _expiresWithin.OrNull,
            Proxy = Proxy,
            ProxyCredential = ProxyCredential?.GetNetworkCredential(),
        };
        string what = Describe();
        ProbePlan plan = CheckParameters(() => request.Validate(ParameterNames.Instance), what);
        int? total = plan.Total;
        string activity = $"Probing {(plan.Options.Udp ? "UDP" : "TCP")} ports of {what}";

        var run = new EngineRun<ProbeOutcome>((sink, ct) => plan.RunAsync(sink, ct), StopToken);
        long done = 0;
        void Deliver(object item)
        {
            if (item is not PortProbeResult r) return;
            if (!Quiet.IsPresent) WriteObject(r);
            if (request.ExpiresWithinDays is double days && r.Tls?.NotAfter is DateTimeOffset end && end <= DateTimeOffset.UtcNow.AddDays(days))
                WriteError(new ErrorRecord(new InvalidOperationException($"the certificate of {r.Target}:{r.Port} ('{NsockText.Printable(r.Tls.Subject ?? "")}') expires {end:yyyy-MM-dd}, within {days} days ({r.Tls.DaysLeft} days left)"),
                    "CertificateExpiresSoon", ErrorCategory.LimitsExceeded, r));
            done++;
            int percent = total is int t ? FileProgressTracker.Percent(done, t) : -1;
            WriteProgress(new ProgressRecord(1, activity, $"{done}{(total is int n ? " of " + n : "")} probed") { PercentComplete = percent });
        }

        if (!TryComplete(run, Deliver, what, out ProbeOutcome outcome)) return;
        WriteProgress(new ProgressRecord(1, activity, "done") { RecordType = ProgressRecordType.Completed });
        if (Quiet.IsPresent) WriteObject(outcome.AllOpen && outcome.ExpiringSoon == 0);
    }

    // The hosts of the run, for progress and as the target of an error (a few, then how many more).
    private string Describe()
    {
        IEnumerable<string> hosts = _endpoints.Count > 0 ? _endpoints : _rows.SelectMany(r => r.Targets);
        string[] distinct = hosts.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        return distinct.Length <= 3 ? string.Join(", ", distinct) : $"{string.Join(", ", distinct.Take(3))} and {distinct.Length - 3} more";
    }
}
