using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

/// <summary>A checked <see cref="ConnectionsRequest"/>: list the sockets once, or watch them change.</summary>
public sealed class ConnectionsPlan
{
    private readonly ConnectionFilter _filter;
    private readonly IOptionNames _names;

    internal ConnectionsPlan(ConnectionFilter filter, TimeSpan interval, IOptionNames names)
    {
        _filter = filter;
        _names = names;
        Interval = interval;
    }

    internal ConnectionFilter Filter => _filter;

    /// <summary>The time between the looks of a watch.</summary>
    public TimeSpan Interval { get; }

    /// <summary>
    /// The sockets that match now, in the system's order (Linux: tcp, tcp6, udp, udp6, unix). Fails with
    /// <see cref="NsockErrorKind.NotSupported"/> on a system whose tables nsock cannot read yet (macOS).
    /// </summary>
    public IReadOnlyList<SocketConnection> List() => ConnectionTable.Read(_filter, _names);

    /// <summary>
    /// A look every <see cref="Interval"/> until <paramref name="ct"/> is cancelled: the first lists every socket, the
    /// rest what opened, closed or changed state since the one before (possibly nothing). Each look is a sweep, so a
    /// view can redraw per look and a script can take <see cref="ConnectionSweep.Changes"/> one by one.
    /// </summary>
    public async IAsyncEnumerable<ConnectionSweep> WatchAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var watcher = new ConnectionWatcher();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            DateTimeOffset time = DateTimeOffset.Now;
            IReadOnlyList<SocketConnection> now = List();
            yield return new ConnectionSweep(now, watcher.Look(now, time), time);
            await Task.Delay(Interval, ct).ConfigureAwait(false);
        }
    }
}
