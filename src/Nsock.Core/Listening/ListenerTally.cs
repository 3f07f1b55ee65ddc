using System.Diagnostics;
using System.Threading;

namespace Nsock.Core;

/// <summary>
/// A listener's live counters. Stream clients are counted from the events the listener already reports
/// (<see cref="Around"/> wraps its sink): connected, rejected, closed with its bytes and error, each file's result;
/// so the data path is untouched. UDP has no per-client end, so its loops add each datagram here (one
/// Interlocked add per datagram). Read at any moment from any thread with <see cref="Snapshot"/>.
/// </summary>
internal sealed class ListenerTally
{
    private long _start = Stopwatch.GetTimestamp();
    private long _now, _clients, _rejected, _received, _sent, _datagrams, _filesReceived, _filesServed, _errors;

    /// <summary>Restarts the clock: the listener's seconds count from when it starts serving.</summary>
    public void Start() => Interlocked.Exchange(ref _start, Stopwatch.GetTimestamp());

    /// <summary>A sink that counts what passes through it, then hands it on to <paramref name="inner"/>.</summary>
    public IEventSink Around(IEventSink inner) => new Counting(this, inner);

    /// <summary>A stream client ended without a closed event (its handler reported it its own way).</summary>
    public void ClientEnded() => Interlocked.Decrement(ref _now);

    /// <summary>A datagram taken from a client (UDP).</summary>
    public void Datagram() => Interlocked.Increment(ref _datagrams);

    public void Received(long bytes) => Interlocked.Add(ref _received, bytes);

    public void Sent(long bytes) => Interlocked.Add(ref _sent, bytes);

    public ListenerStatistics Snapshot(bool final = false) => new(
        Read(ref _now), Read(ref _clients), Read(ref _rejected), Read(ref _received), Read(ref _sent), Read(ref _datagrams),
        Read(ref _filesReceived), Read(ref _filesServed), Read(ref _errors),
        (Stopwatch.GetTimestamp() - Interlocked.Read(ref _start)) / (double)Stopwatch.Frequency, final);

    private static long Read(ref long field) => Interlocked.Read(ref field);

    private void Count(NsockEvent e)
    {
        switch (e)
        {
            case ClientConnected:
                Interlocked.Increment(ref _clients);
                Interlocked.Increment(ref _now);
                break;
            case ClientRejected:
                Interlocked.Increment(ref _rejected);
                break;
            case ClientClosed c:
                Interlocked.Decrement(ref _now);
                Interlocked.Add(ref _received, c.BytesReceived);
                Interlocked.Add(ref _sent, c.BytesSent);
                if (c.Error is not null && c.Error != Listener.StoppedReason) Interlocked.Increment(ref _errors);
                break;
            case FileResult { Status: FileStatus.Sent }:
                Interlocked.Increment(ref _filesServed);
                break;
            case FileResult f when f.Succeeded:
                Interlocked.Increment(ref _filesReceived);
                break;
        }
    }

    private sealed class Counting : IEventSink
    {
        private readonly ListenerTally _tally;
        private readonly IEventSink _inner;

        public Counting(ListenerTally tally, IEventSink inner)
        {
            _tally = tally;
            _inner = inner;
        }

        public void Emit(NsockEvent e)
        {
            _tally.Count(e);
            _inner.Emit(e);
        }
    }
}
