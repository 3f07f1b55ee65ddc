using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// The sink of a background listener: events update counters and a bounded log of recent events, and go on to
/// its owner as <see cref="SocketListenerEvent"/> objects. Called from the listener's threads, read from any.
/// </summary>
internal sealed class ListenerCounters : IEventSink
{
    /// <summary>Events kept for <see cref="BackgroundListener.GetEvents"/>; older ones are dropped.</summary>
    public const int MaxEvents = 1000;

    private readonly ConcurrentQueue<SocketListenerEvent> _events = new();
    private readonly Action<SocketListenerEvent>? _forward;
    private long _clients, _rejected, _received, _sent, _datagrams, _files;

    public ListenerCounters(Action<SocketListenerEvent>? forward = null) => _forward = forward;

    public long Clients => Interlocked.Read(ref _clients);

    public long Rejected => Interlocked.Read(ref _rejected);

    public long BytesReceived => Interlocked.Read(ref _received);

    public long BytesSent => Interlocked.Read(ref _sent);

    public long Datagrams => Interlocked.Read(ref _datagrams);

    public long Files => Interlocked.Read(ref _files);

    public void Emit(NsockEvent e)
    {
        switch (e)
        {
            case ClientConnected:
                Interlocked.Increment(ref _clients);
                break;
            case ClientRejected:
                Interlocked.Increment(ref _rejected);
                break;
            case ClientClosed c:
                Interlocked.Add(ref _received, c.BytesReceived);
                Interlocked.Add(ref _sent, c.BytesSent);
                break;
            case DatagramReceived d:
                Interlocked.Increment(ref _datagrams);
                Interlocked.Add(ref _received, d.Bytes);
                break;
            case FileResult f when f.Status != FileStatus.Refused:
                if (f.Succeeded) Interlocked.Increment(ref _files);
                break;
        }
        SocketListenerEvent mapped = ListenerEventMapper.From(e, DateTime.Now);
        _events.Enqueue(mapped);
        while (_events.Count > MaxEvents) _events.TryDequeue(out _);
        _forward?.Invoke(mapped);
    }

    /// <summary>Takes the listener's own totals once it has stopped (UDP echo reports bytes sent only then).</summary>
    public void Settle(ListenerResult result, bool udp)
    {
        Raise(ref _received, result.BytesReceived);
        Raise(ref _sent, result.BytesSent);
        Raise(ref udp ? ref _datagrams : ref _clients, result.Clients);
    }

    public IReadOnlyList<SocketListenerEvent> Events() => _events.ToArray();

    private static void Raise(ref long field, long atLeast)
    {
        long current;
        while ((current = Interlocked.Read(ref field)) < atLeast && Interlocked.CompareExchange(ref field, atLeast, current) != current)
        {
        }
    }
}
