using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// The sink of a background listener: events go to a bounded log of recent events and on to its owner as
/// <see cref="SocketListenerEvent"/> objects. The counters are the engine's (Listener.Statistics). Called from
/// the listener's threads, read from any.
/// </summary>
internal sealed class ListenerEventLog : IEventSink
{
    /// <summary>Events kept for <see cref="BackgroundListener.GetEvents"/>; older ones are dropped.</summary>
    public const int MaxEvents = 1000;

    private readonly ConcurrentQueue<SocketListenerEvent> _events = new();
    private readonly Action<SocketListenerEvent>? _forward;

    public ListenerEventLog(Action<SocketListenerEvent>? forward = null) => _forward = forward;

    public void Emit(NsockEvent e)
    {
        SocketListenerEvent mapped = ListenerEventMapper.From(e, DateTime.Now);
        _events.Enqueue(mapped);
        while (_events.Count > MaxEvents) _events.TryDequeue(out _);
        _forward?.Invoke(mapped);
    }

    public IReadOnlyList<SocketListenerEvent> Events() => _events.ToArray();
}
