using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace Nsock.Core.Tests;

/// <summary>An event sink that keeps every event, and can wait (bounded) for events to arrive.</summary>
internal sealed class RecordingSink : IEventSink
{
    private readonly ConcurrentQueue<NsockEvent> _events = new();

    /// <summary>Runs on the emitting thread right after an event is kept (a test's way to act at that exact moment).</summary>
    public Action<NsockEvent>? OnEmit { get; set; }

    public void Emit(NsockEvent e)
    {
        _events.Enqueue(e);
        OnEmit?.Invoke(e);
    }

    public IReadOnlyList<T> Of<T>() where T : NsockEvent => _events.OfType<T>().ToList();

    /// <summary>Waits until at least <paramref name="count"/> events of type <typeparamref name="T"/> arrived.</summary>
    public async Task<IReadOnlyList<T>> WaitForAsync<T>(int count = 1) where T : NsockEvent
    {
        DateTime deadline = DateTime.UtcNow + Limits.Wait;
        while (true)
        {
            IReadOnlyList<T> found = Of<T>();
            if (found.Count >= count) return found;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"waited for {count} {typeof(T).Name} events, got {found.Count}; all events: {string.Join(", ", _events)}");
            await Task.Delay(10);
        }
    }
}
