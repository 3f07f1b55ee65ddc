using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// Test-SocketPort -Wait, as <c>nsock probe --wait</c> does it: each port of each target in turn, every one
/// within what is left of one deadline for them all, each result reported as soon as it is known.
/// </summary>
internal static class PortWaiter
{
    public static async Task<IReadOnlyList<PortProbeResult>> WaitAllAsync(PortProbeOptions o, TimeSpan deadline, IEventSink sink, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var results = new List<PortProbeResult>();
        foreach (string target in o.Targets)
        {
            foreach (int port in o.Ports)
            {
                TimeSpan left = deadline - clock.Elapsed;
                PortProbeResult r = await PortProber.WaitAsync(target, port, o.Udp, left > TimeSpan.Zero ? left : TimeSpan.Zero, o.IpVersion, ct).ConfigureAwait(false);
                sink.Emit(r);
                results.Add(r);
            }
        }
        return results;
    }
}
