using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace Nsock.PowerShell;

/// <summary>
/// The background listeners of this process, for Get-SocketListener and Stop-SocketListener. Process-wide on
/// purpose: a listener started in one runspace can be found and stopped from another.
/// </summary>
internal static class ListenerRegistry
{
    private static readonly object s_lock = new();
    private static readonly List<SocketListener> s_listeners = new();
    private static int s_lastId;

    public static int NextId() => Interlocked.Increment(ref s_lastId);

    public static void Add(SocketListener listener)
    {
        lock (s_lock) s_listeners.Add(listener);
    }

    public static bool Remove(SocketListener listener)
    {
        lock (s_lock) return s_listeners.Remove(listener);
    }

    public static IReadOnlyList<SocketListener> All()
    {
        lock (s_lock) return s_listeners.OrderBy(l => l.Id).ToArray();
    }
}
