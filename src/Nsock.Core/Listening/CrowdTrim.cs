using System;
using System.Threading;

namespace Nsock.Core;

// Gives a crowd's memory back once it has left. Each client's objects (its socket, the socket's async state, the
// task serving it) live long enough to reach the oldest GC generation, and once they are garbage no collection of
// that generation comes by itself: nothing allocates while the listener is quiet. Measured with 10,000 idle echo
// clients (scripts/bench/scale): RSS stayed at 42 MiB after they all closed, against 9 MiB before they came. So when
// the clients of a listener that served at least Crowd at once fall to an eighth of that peak, one full collection
// runs on the thread pool (aggressive on .NET: it also returns the freed memory to the OS). Cheap: a few milliseconds
// for a heap of that size, at most once per crowd.
internal sealed class CrowdTrim
{
    /// <summary>The clients at once below which the listener never collects on its own.</summary>
    public const int Crowd = 1000;

    private readonly object _lock = new();
    private int _clients;
    private int _peak;

    public void Joined()
    {
        lock (_lock)
        {
            if (++_clients > _peak) _peak = _clients;
        }
    }

    public void Left()
    {
        lock (_lock)
        {
            _clients--;
            if (_peak < Crowd || _clients > _peak / 8) return;
            _peak = _clients; // the next crowd is counted from here
        }
        ThreadPool.QueueUserWorkItem(static _ => Collect());
    }

    private static void Collect()
    {
#if NET
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
#else
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
#endif
    }
}
