using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Nsock.Core;

namespace Nsock.Core.Tests;

// Collects what the engine reports; the engine emits from its own threads, hence the concurrent queue.
internal sealed class TestEventSink : IEventSink
{
    private readonly ConcurrentQueue<NsockEvent> _events = new();

    public void Emit(NsockEvent e) => _events.Enqueue(e);

    /// <summary>Every event so far, in the order it was reported.</summary>
    public IReadOnlyList<NsockEvent> Events => _events.ToArray();

    public IReadOnlyList<T> Of<T>() where T : NsockEvent => _events.OfType<T>().ToList();
}
