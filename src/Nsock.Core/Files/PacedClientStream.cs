using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Threading;

namespace Nsock.Core;

// A file-mode client's socket as a blocking stream, with every wait bounded, so a peer that trickles a byte now and
// then cannot hold a slot of --receive-files or --serve for ever (slowloris: 100 such peers held every slot):
//   - silence: no byte at all for IdleTimeout (--timeout) ends the session;
//   - a deadline phase (the greeting, a file header with its name, a --serve file name) must arrive whole within
//     its limit, however the bytes are paced;
//   - a rate phase (a file's bytes and digest) must bring at least MinRate bytes per second of waiting, judged per
//     window: only the time spent waiting for the peer counts, so a slow disk on this side never counts against it.
// What ended a session is an NsockException (TimedOut) naming the phase and the limit; it also counts the bytes
// each way for the client's closed event.
internal sealed class PacedClientStream : Stream
{
    private readonly Socket _socket;
    private readonly int _idleMs; // 0: no silence limit
    private int _socketTimeoutMs = -1; // what SO_RCVTIMEO holds now (-1: not set by us yet)
    private long _deadline; // Stopwatch ticks; 0: no deadline phase
    private string _phase = "";
    private TimeSpan _phaseLimit;
    private long _minBytesPerWindow; // 0: no rate phase
    private long _window; // Stopwatch ticks
    private long _waited, _windowBytes;

    public PacedClientStream(Socket socket, TimeSpan? idle)
    {
        _socket = socket;
        _idleMs = idle is TimeSpan t && t > TimeSpan.Zero && t != Timeout.InfiniteTimeSpan ? (int)Math.Min(int.MaxValue, Math.Max(1, t.TotalMilliseconds)) : 0;
    }

    public long BytesRead { get; private set; }

    public long BytesWritten { get; private set; }


    /// <summary>From now, what is read until <see cref="EndPhase"/> must arrive within <paramref name="limit"/> (<paramref name="what"/> names it in the error).</summary>
    public void BeginDeadline(string what, TimeSpan limit)
    {
        _phase = what;
        _phaseLimit = limit;
        _deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>From now, reads must bring at least <paramref name="bytesPerSecond"/> per <paramref name="window"/> of waiting for the peer.</summary>
    public void BeginRate(string what, long bytesPerSecond, TimeSpan window)
    {
        _phase = what;
        _phaseLimit = window;
        _deadline = 0;
        _minBytesPerWindow = bytesPerSecond <= 0 ? 0 : Math.Max(1, (long)(bytesPerSecond * window.TotalSeconds));
        _window = (long)(window.TotalSeconds * Stopwatch.Frequency);
        _waited = 0;
        _windowBytes = 0;
    }

    public void EndPhase()
    {
        _deadline = 0;
        _minBytesPerWindow = 0;
    }

    /// <summary>
    /// How long the next read may wait for the peer (infinite: no limit), for a wait made outside this stream (the
    /// Linux readiness wait for a sender's greeting); when it runs out, <see cref="WaitRanOut"/> with the same
    /// <paramref name="byDeadline"/> is the error the read would have thrown. Throws when the deadline has passed.
    /// </summary>
    public TimeSpan NextWait(out bool byDeadline)
    {
        (int ms, byDeadline) = ReadTimeoutMs();
        return ms == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(ms);
    }

    public NsockException WaitRanOut(bool byDeadline) => byDeadline ? TooSlow() : Silent();

    /// <summary>One recv(2) of at most <paramref name="count"/> bytes (0 only when the peer closed), bounded as the phase says.</summary>
    public override int Read(byte[] buffer, int offset, int count)
    {
        (int timeout, bool byDeadline) = ReadTimeoutMs();
        if (timeout != _socketTimeoutMs)
        {
            _socket.ReceiveTimeout = timeout;
            _socketTimeoutMs = timeout;
        }
        long started = _minBytesPerWindow > 0 ? Stopwatch.GetTimestamp() : 0;
        int n;
        try
        {
            n = _socket.Receive(buffer, offset, count, SocketFlags.None);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            throw WaitRanOut(byDeadline);
        }
        BytesRead += n;
        if (_minBytesPerWindow > 0)
        {
            _waited += Stopwatch.GetTimestamp() - started;
            _windowBytes += n;
            if (_waited >= _window)
            {
                if (_windowBytes < _minBytesPerWindow) throw TooSlow();
                _waited = 0;
                _windowBytes = 0;
            }
        }
        return n;
    }

    /// <summary>Sends all of <paramref name="line"/>.</summary>
    public void Write(byte[] line) => Write(line, 0, line.Length);

    /// <summary>Counts bytes sent around this stream (a file sent zero-copy).</summary>
    public void CountWritten(long count) => BytesWritten += count;

    public override void Write(byte[] buffer, int offset, int count)
    {
        while (count > 0)
        {
            int n = _socket.Send(buffer, offset, count, SocketFlags.None);
            offset += n;
            count -= n;
            BytesWritten += n;
        }
    }

    // How long the next wait for the peer may take (0: no limit): the silence limit, or what is left of the phase's
    // deadline when that is sooner (then byDeadline: a wait that runs out means the phase was too slow; decided here,
    // not by the clock after it, since a receive timeout may end a fraction of a millisecond before the deadline).
    // Throws when the deadline has passed.
    private (int Ms, bool ByDeadline) ReadTimeoutMs()
    {
        if (_deadline == 0) return (_idleMs, false);
        long left = _deadline - Stopwatch.GetTimestamp();
        if (left <= 0) throw TooSlow();
        int leftMs = (int)Math.Min(int.MaxValue, Math.Max(1, (left * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency));
        return _idleMs == 0 || leftMs <= _idleMs ? (leftMs, true) : (_idleMs, false);
    }

    private NsockException TooSlow() => new(NsockErrorKind.TimedOut, _minBytesPerWindow > 0
        ? $"the peer sent {_windowBytes} bytes of {_phase} in {Seconds(_phaseLimit)}s of waiting, fewer than {_minBytesPerWindow} (too slow)"
        : $"{_phase} did not arrive within {Seconds(_phaseLimit)}s (too slow)");

    private NsockException Silent() => new(NsockErrorKind.TimedOut, $"the peer sent nothing for {Seconds(TimeSpan.FromMilliseconds(_idleMs))}s");

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
