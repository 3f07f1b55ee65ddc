using System;
using System.Collections.Concurrent;
using System.Threading;

namespace Nsock.Core;

// Hands events to a sink on a thread of their own, so that formatting and console output never delay a
// timing-sensitive loop (a ping's receive, whose timestamp would otherwise absorb the wait).
internal sealed class EventPump : IEventSink, IDisposable
{
    private readonly BlockingCollection<NsockEvent> _queue = new();
    private readonly Thread _thread;

    public EventPump(IEventSink sink)
    {
        _thread = new Thread(() =>
        {
            foreach (NsockEvent e in _queue.GetConsumingEnumerable()) sink.Emit(e);
        }) { IsBackground = true, Name = "nsock events" };
        _thread.Start();
    }

    public void Emit(NsockEvent e) => _queue.Add(e);

    /// <summary>Delivers what is queued, then stops.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join();
        _queue.Dispose();
    }
}
