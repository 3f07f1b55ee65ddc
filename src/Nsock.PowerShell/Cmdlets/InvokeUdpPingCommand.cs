using System.Management.Automation;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// <para type="synopsis">Pings a UDP echo service with numbered probes (or times TCP connects with -Tcp): one object per reply as it comes, then a summary.</para>
/// <para type="description">The nsock ping command as a cmdlet. Replies are matched by session and sequence number, so late, duplicated and foreign datagrams are counted, never mistaken for answers.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "UdpPing", DefaultParameterSetName = ComputerNameSet)]
[OutputType(typeof(PingReply), typeof(PingLost), typeof(PingSummary))]
public sealed class InvokeUdpPingCommand : NsockCmdlet
{
    private const string ComputerNameSet = "ComputerName";
    private const string EndpointSet = "Endpoint";

    /// <summary>The host to ping (several may be piped in; each gets its own run and summary).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ComputerNameSet)]
    [Alias("Cn", "HostName")]
    [ValidateNotNullOrEmpty]
    public string? ComputerName { get; set; }

    /// <summary>The port of the UDP echo service (or, with -Tcp, any TCP port).</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ComputerNameSet)]
    [ValidateRange(1, 65535)]
    public int Port { get; set; }

    /// <summary>What to ping, in the nsock command's syntax: host:port, [v6addr]:port, udp://, tcp://.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = EndpointSet)]
    [ValidateNotNullOrEmpty]
    public string? Endpoint { get; set; }

    /// <summary>Time TCP connects (handshakes) instead of UDP echo round trips.</summary>
    [Parameter]
    public SwitchParameter Tcp { get; set; }

    /// <summary>Probes to send (default 5).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Count { get; set; }

    /// <summary>Seconds between probes (default 1); 0 sends the next as soon as the previous one is answered or lost.</summary>
    [Parameter]
    public double Interval { get; set; }

    /// <summary>UDP payload bytes per probe, 12-65507 (default 32; 12 are the matching header).</summary>
    [Parameter]
    [ValidateRange(PingOptions.HeaderSize, PingOptions.MaxUdpPayload)]
    public int Size { get; set; }

    /// <summary>Bytes after the header, repeated to fill -Size (without -Size, probes are just big enough for them).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public byte[]? Payload { get; set; }

    /// <summary>Probes sent first and not counted.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Warmup { get; set; }

    /// <summary>Seconds each probe waits for its reply (default 2).</summary>
    [Parameter]
    [Alias("TimeoutSec")]
    public double Timeout { get; set; }

    /// <summary>Use IPv4 only.</summary>
    [Parameter]
    public SwitchParameter IPv4 { get; set; }

    /// <summary>Use IPv6 only.</summary>
    [Parameter]
    public SwitchParameter IPv6 { get; set; }

    /// <summary>Runs the probes for one host or endpoint.</summary>
    protected override void ProcessRecord()
    {
        var p = new PingParameters
        {
            Endpoint = Endpoint,
            ComputerName = ComputerName,
            Port = ComputerName is null ? null : Port,
            Tcp = Tcp.IsPresent,
            Count = Given(nameof(Count), Count),
            Interval = Given(nameof(Interval), Interval),
            Size = Given(nameof(Size), Size),
            Payload = Payload,
            Warmup = Given(nameof(Warmup), Warmup),
            Timeout = Given(nameof(Timeout), Timeout),
            IPv4 = IPv4.IsPresent,
            IPv6 = IPv6.IsPresent,
        };
        PingOptions options = CheckParameters(() => PingOptionsMapper.Map(p), Endpoint ?? ComputerName);
        string target = options.Endpoint.ToString();
        string activity = options.Endpoint.Transport == Transport.Tcp ? $"TCP connect to {target}" : $"UDP ping {target}, {options.Size} bytes per probe";
        var run = new EngineRun<PingSummary>((sink, ct) => Pinger.RunAsync(options, sink, ct), StopToken);
        long done = 0;
        void Deliver(object item)
        {
            if (item is not (PingReply or PingLost)) return;
            WriteObject(item);
            done++;
            WriteProgress(new ProgressRecord(1, activity, $"{done} of {options.Count} probes") { PercentComplete = FileProgressTracker.Percent(done, options.Count) });
        }

        if (!TryComplete(run, Deliver, target, out PingSummary summary)) return;
        WriteProgress(new ProgressRecord(1, activity, "done") { RecordType = ProgressRecordType.Completed });
        WriteObject(summary);
        if (PingOptionsMapper.Outcome(summary) is NsockException none) WriteError(ToErrorRecord(none, summary));
    }
}
