using System.Collections.Generic;
using System.Linq;

namespace Nsock.PowerShell;

/// <summary>
/// The background listeners of this process, each under the session that started it (its runspace): a
/// session lists, finds and stops only its own, and when a session closes or removes the module, its
/// listeners are stopped. The owner is any object (a Runspace in the module); items keep the order they came.
/// </summary>
internal sealed class ListenerRegistry<T> where T : class
{
    private readonly object _lock = new();
    private readonly Dictionary<object, List<T>> _byOwner = new();

    /// <summary>Adds <paramref name="item"/> under <paramref name="owner"/>; true when the owner had none before (watch it then).</summary>
    public bool Add(object owner, T item)
    {
        lock (_lock)
        {
            bool first = !_byOwner.TryGetValue(owner, out List<T>? items);
            if (first) _byOwner[owner] = items = new List<T>();
            items!.Add(item);
            return first;
        }
    }

    /// <summary>Forgets <paramref name="item"/>, whoever owns it; true when it was there.</summary>
    public bool Remove(T item)
    {
        lock (_lock)
        {
            foreach (KeyValuePair<object, List<T>> entry in _byOwner)
            {
                if (!entry.Value.Remove(item)) continue;
                if (entry.Value.Count == 0) _byOwner.Remove(entry.Key);
                return true;
            }
            return false;
        }
    }

    /// <summary>The items of <paramref name="owner"/>, oldest first.</summary>
    public IReadOnlyList<T> Of(object owner)
    {
        lock (_lock) return _byOwner.TryGetValue(owner, out List<T>? items) ? items.ToArray() : new T[0];
    }

    /// <summary>Forgets every item of <paramref name="owner"/> and returns them (to stop them).</summary>
    public IReadOnlyList<T> TakeAll(object owner)
    {
        lock (_lock)
        {
            if (!_byOwner.TryGetValue(owner, out List<T>? items)) return new T[0];
            _byOwner.Remove(owner);
            return items.ToArray();
        }
    }

    /// <summary>How many items every owner has in all.</summary>
    public int Count
    {
        get
        {
            lock (_lock) return _byOwner.Values.Sum(l => l.Count);
        }
    }
}
