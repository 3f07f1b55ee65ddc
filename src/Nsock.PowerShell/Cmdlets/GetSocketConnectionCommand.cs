using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// <para type="synopsis">Gets this machine's TCP, UDP and Unix sockets with their state, queues and owning process; with -Watch, what opens, closes and changes state.</para>
/// <para type="description">The nsock conns command as a cmdlet, on Linux and Windows (macOS: not supported yet, a NotImplemented error). Without -Protocol, TCP and UDP sockets. Filters combine: -Listening, -State, -Port (local or remote), -OwningProcess (also by property name: Get-Process pwsh | Get-SocketConnection), -IPv4/-IPv6. The owner of another user's socket is visible on Linux only to root: OwningProcess is empty then. With -Watch, one SocketConnection change object per change (Listed first, then Opened, Closed, State) every -Interval seconds until Ctrl+C.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "SocketConnection")]
[OutputType(typeof(SocketConnection))]
[OutputType(typeof(ConnectionChange))]
public sealed class GetSocketConnectionCommand : NsockCmdlet
{
    private Given<double> _interval;
    private readonly List<int> _processIds = new();

    /// <summary>Only listening sockets: TCP and Unix listeners, and UDP sockets with no peer (they take datagrams from anyone).</summary>
    [Parameter]
    public SwitchParameter Listening { get; set; }

    /// <summary>Only sockets in these states.</summary>
    [Parameter]
    public ConnectionState[] State { get; set; } = Array.Empty<ConnectionState>();

    /// <summary>Only sockets whose local or remote port is one of these.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int[] Port { get; set; } = Array.Empty<int>();

    /// <summary>Only the sockets of these processes (by property name: a process's Id, a socket's ProcessId).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("ProcessId", "Id")]
    public int[] OwningProcess { get; set; } = Array.Empty<int>();

    /// <summary>Tcp, Udp, Unix (default: Tcp and Udp).</summary>
    [Parameter]
    public Transport[] Protocol { get; set; } = Array.Empty<Transport>();

    /// <summary>IPv4 sockets only.</summary>
    [Parameter]
    public SwitchParameter IPv4 { get; set; }

    /// <summary>IPv6 sockets only.</summary>
    [Parameter]
    public SwitchParameter IPv6 { get; set; }

    /// <summary>Keep looking every -Interval seconds, writing a change object per change, until Ctrl+C.</summary>
    [Parameter]
    public SwitchParameter Watch { get; set; }

    /// <summary>Seconds between the looks of -Watch (default 1).</summary>
    [Parameter]
    public double Interval
    {
        get => _interval.Value;
        set => _interval.Value = value;
    }

    /// <summary>Collects the process ids of each pipeline record.</summary>
    protected override void ProcessRecord() => _processIds.AddRange(OwningProcess);

    /// <summary>Lists (or watches) once, with every record's process ids.</summary>
    protected override void EndProcessing()
    {
        var request = new ConnectionsRequest
        {
            Listening = Listening.IsPresent,
            States = State.Select(s => s.ToString()).ToArray(),
            Ports = Port,
            ProcessIds = _processIds.Distinct().ToArray(),
            Tcp = Protocol.Contains(Transport.Tcp),
            Udp = Protocol.Contains(Transport.Udp),
            Unix = Protocol.Contains(Transport.Unix),
            IPv4 = IPv4.IsPresent,
            IPv6 = IPv6.IsPresent,
            Interval = _interval.OrNull,
        };
        ConnectionsPlan plan = CheckParameters(() => request.Validate(ParameterNames.Instance), null);
        if (!Watch.IsPresent)
        {
            IReadOnlyList<SocketConnection> list = Array.Empty<SocketConnection>();
            if (Try(() => list = plan.List(), null)) WriteObject(list, enumerateCollection: true);
            return;
        }
        var run = new EngineRun<int>((sink, ct) => WatchAsync(plan, sink, ct), StopToken);
        TryComplete(run, WriteObject, null, out _);
    }

    private static async Task<int> WatchAsync(ConnectionsPlan plan, IEventSink sink, CancellationToken ct)
    {
        await foreach (ConnectionSweep sweep in plan.WatchAsync(ct).ConfigureAwait(false))
        {
            foreach (ConnectionChange change in sweep.Changes) sink.Emit(change);
        }
        return 0;
    }
}
