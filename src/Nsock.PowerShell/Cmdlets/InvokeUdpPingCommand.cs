using System.Management.Automation;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// <para type="synopsis">Pings a UDP echo service with numbered probes (or times TCP connects with -Tcp): one object per reply as it comes, then a summary.</para>
/// <para type="description">The nsock ping command as a cmdlet. Replies are matched by session and sequence number, so late, duplicated and foreign datagrams are counted, never mistaken for answers.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "UdpPing")]
[OutputType(typeof(PingReply), typeof(PingLost), typeof(PingSummary))]
public sealed class InvokeUdpPingCommand : NsockConnectionCmdlet
{
    private Given<int> _count;
    private Given<double> _interval;
    private Given<int> _size;
    private Given<int> _warmup;

    /// <summary>The host to ping; host names piped in (by value, or rows by property name) each get their own run and summary.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("RemoteAddress", "Cn", "TargetName", "HostName")]
    [ValidateNotNullOrEmpty]
    public override string? ComputerName { get; set; }

    /// <summary>Time TCP connects (handshakes) instead of UDP echo round trips.</summary>
    [Parameter]
    public SwitchParameter Tcp { get; set; }

    /// <summary>Probes to send (default 5).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Count
    {
        get => _count.Value;
        set => _count.Value = value;
    }

    /// <summary>Seconds between probes (default 1); 0 sends the next as soon as the previous one is answered or lost.</summary>
    [Parameter]
    public double Interval
    {
        get => _interval.Value;
        set => _interval.Value = value;
    }

    /// <summary>UDP payload bytes per probe, 12-65507 (default 32; 12 are the matching header).</summary>
    [Parameter]
    [ValidateRange(PingOptions.HeaderSize, PingOptions.MaxUdpPayload)]
    public int Size
    {
        get => _size.Value;
        set => _size.Value = value;
    }

    /// <summary>Bytes after the header, repeated to fill -Size (without -Size, probes are just big enough for them).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public byte[]? Payload { get; set; }

    /// <summary>Probes sent first and not counted.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Warmup
    {
        get => _warmup.Value;
        set => _warmup.Value = value;
    }

    /// <summary>Runs the probes for one host or endpoint.</summary>
    protected override void ProcessRecord()
    {
        var request = new PingRequest
        {
            Target = Target(),
            Tcp = Tcp.IsPresent,
            Count = _count.OrNull,
            Interval = _interval.OrNull,
            Size = _size.OrNull,
            Payload = Payload,
            Warmup = _warmup.OrNull,
        };
        // A host piped in is that record's own run: its bad input is its error, the next hosts still run.
        PingPlan? plan = null;
        if (TargetPerRecord)
        {
            if (!Try(() => plan = request.Validate(ParameterNames.Instance), TargetText)) return;
        }
        else
        {
            plan = CheckParameters(() => request.Validate(ParameterNames.Instance), TargetText);
        }
        PingOptions options = plan!.Options;
        string target = options.Endpoint.ToString();
        string activity = options.Endpoint.Transport == Transport.Tcp ? $"TCP connect to {target}" : $"UDP ping {target}, {options.Size} bytes per probe";
        var run = new EngineRun<PingOutcome>((sink, ct) => plan.RunAsync(sink, ct), StopToken);
        long done = 0;
        void Deliver(object item)
        {
            if (item is not (PingReply or PingLost)) return;
            WriteObject(item);
            done++;
            WriteProgress(new ProgressRecord(1, activity, $"{done} of {options.Count} probes") { PercentComplete = FileProgressTracker.Percent(done, options.Count) });
        }

        if (!TryComplete(run, Deliver, target, out PingOutcome outcome)) return;
        WriteProgress(new ProgressRecord(1, activity, "done") { RecordType = ProgressRecordType.Completed });
        WriteObject(outcome.Summary);
        if (outcome.Error is NsockException none) WriteError(ToErrorRecord(none, outcome.Summary));
    }
}
