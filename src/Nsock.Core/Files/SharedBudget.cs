using System.Threading;

namespace Nsock.Core;

// The --max-bytes budget of one listener, shared by all its senders.
internal sealed class SharedBudget
{
    private long _used;

    public SharedBudget(long? limit) => Limit = limit;

    public long? Limit { get; }

    public bool TryTake(long bytes)
    {
        if (Limit is not long limit) return true;
        while (true)
        {
            long used = Interlocked.Read(ref _used);
            if (bytes > limit - used) return false;
            if (Interlocked.CompareExchange(ref _used, used + bytes, used) == used) return true;
        }
    }

    public void Give(long bytes)
    {
        if (Limit is not null) Interlocked.Add(ref _used, -bytes);
    }
}
