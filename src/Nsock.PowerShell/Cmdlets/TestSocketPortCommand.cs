using System;
using System.Collections.Generic;
using System.Management.Automation;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// <para type="synopsis">Tests which ports answer, over TCP (open, closed, filtered) or UDP (open, closed, open|filtered); with -Wait, waits for them to open.</para>
/// <para type="description">The nsock probe command as a cmdlet. Probes run concurrently (-Parallel); results come in a stable order (hosts as given, then ports as given) as soon as everything before them is known.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "SocketPort")]
[OutputType(typeof(PortProbeResult))]
[OutputType(typeof(bool))]
public sealed class TestSocketPortCommand : NsockCmdlet
{
    private readonly List<int> _ports = new();

    /// <summary>Names, addresses or CIDR blocks (every address of a block; at most 65,536 addresses).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("Cn", "HostName", "Target")]
    [ValidateNotNullOrEmpty]
    public string[] ComputerName { get; set; } = Array.Empty<string>();

    /// <summary>Ports to probe; pipe them in (22,80,443 | Test-SocketPort -ComputerName host) or give a range (8000..8100).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
    [ValidateRange(1, 65535)]
    public int[] Port { get; set; } = Array.Empty<int>();

    /// <summary>UDP probes: a reply is open, ICMP port unreachable closed, silence open|filtered.</summary>
    [Parameter]
    public SwitchParameter Udp { get; set; }

    /// <summary>Seconds each probe waits (default 1); with -Wait, the total wait (default 10; 0: no limit).</summary>
    [Parameter]
    [Alias("TimeoutSec")]
    public double Timeout { get; set; }

    /// <summary>Probes in flight at once (default 100).</summary>
    [Parameter]
    [ValidateRange(1, 100000)]
    public int Parallel { get; set; }

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

    /// <summary>Collects the ports (all of them are probed together, concurrently).</summary>
    protected override void ProcessRecord() => _ports.AddRange(Port);

    /// <summary>Probes, writing each result in order as soon as it is known.</summary>
    protected override void EndProcessing()
    {
        var p = new ProbeParameters
        {
            ComputerName = ComputerName,
            Port = _ports,
            Udp = Udp.IsPresent,
            Timeout = Given(nameof(Timeout), Timeout),
            Parallel = Given(nameof(Parallel), Parallel),
            IPv4 = IPv4.IsPresent,
            IPv6 = IPv6.IsPresent,
        };
        PortProbeOptions options = CheckParameters(() => ProbeOptionsMapper.Map(p), string.Join(",", ComputerName));
        TimeSpan deadline = CheckParameters(() => ProbeOptionsMapper.WaitDeadline(p.Timeout), p.Timeout);
        int? total = Wait.IsPresent ? options.Targets.Count * options.Ports.Count : ProbeOptionsMapper.Total(options);
        string activity = $"Probing {(options.Udp ? "UDP" : "TCP")} ports of {string.Join(", ", options.Targets)}";

        var run = new EngineRun<IReadOnlyList<PortProbeResult>>((sink, ct) =>
            Wait.IsPresent ? PortProber.WaitAllAsync(options, deadline, sink, ct) : PortProber.RunAsync(options, sink, ct), StopToken);
        bool allOpen = true;
        long done = 0;
        void Deliver(object item)
        {
            if (item is not PortProbeResult r) return;
            allOpen &= r.State == PortState.Open;
            if (!Quiet.IsPresent) WriteObject(r);
            done++;
            int percent = total is int t ? FileProgressTracker.Percent(done, t) : -1;
            WriteProgress(new ProgressRecord(1, activity, $"{done}{(total is int n ? " of " + n : "")} probed") { PercentComplete = percent });
        }

        if (!TryComplete(run, Deliver, string.Join(",", ComputerName), out _)) return;
        WriteProgress(new ProgressRecord(1, activity, "done") { RecordType = ProgressRecordType.Completed });
        if (Quiet.IsPresent) WriteObject(allOpen);
    }
}
