using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// A buffered reader over the response stream that counts every byte, copies them untouched to an optional
// raw output as they arrive, and bounds each wait for more by the idle timeout. Lines are bounded, bodies are
// streamed through the one buffer: memory stays flat whatever the server sends.
//
// The timeout also bounds each phase as a whole, so a server that drips bytes cannot hold the exchange for as long
// as it likes: a response head (each interim one on its own) must be complete within the timeout of its phase's
// start, and while the body arrives, each timeout-long window must bring at least minBodyBytesPerWindow bytes
// (the window restarts each time it has).
internal sealed class ResponseReader
{
    private readonly Stream _stream;
    private readonly Stream? _raw;
    private readonly TimeSpan _timeout;
    private readonly long _minWindowBytes;
    private readonly string _timeoutName;
    private readonly byte[] _buffer = new byte[256 * 1024]; // big reads: fewer wake-ups per body byte, still bounded
    private int _pos;
    private int _len;
    private bool _inBody;
    private long _windowEnd; // Stopwatch timestamp the current head or body window ends at; 0: no window (no timeout)
    private long _windowBytes; // bytes read since the current window started

    public ResponseReader(Stream stream, Stream? raw, TimeSpan timeout, long minBodyBytesPerWindow = 0, string timeoutName = "timeout")
    {
        _stream = stream;
        _raw = raw;
        _timeout = timeout;
        _minWindowBytes = minBodyBytesPerWindow;
        _timeoutName = timeoutName;
        StartHead();
    }

    /// <summary>A response head starts (the first, or the next after an interim one): it must be complete within the timeout.</summary>
    public void StartHead()
    {
        _inBody = false;
        StartWindow();
    }

    /// <summary>The body starts: from now on each timeout-long window must bring the minimum bytes, or the body must end.</summary>
    public void StartBody()
    {
        _inBody = true;
        StartWindow();
    }

    private void StartWindow()
    {
        _windowBytes = 0;
        _windowEnd = _timeout == Timeout.InfiniteTimeSpan ? 0 : Stopwatch.GetTimestamp() + (long)(_timeout.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Bytes read from the connection so far.</summary>
    public long Total { get; private set; }

    /// <summary>Stream offset of the next unconsumed byte.</summary>
    public long Position => Total - (_len - _pos);

    /// <summary>Monotonic timestamp of the first byte, or 0.</summary>
    public long FirstByteAt { get; private set; }

    /// <summary>Reads one line (LF-terminated; a CR before the LF is dropped). Null at a clean end of stream before any byte.</summary>
    public async Task<string?> ReadLineAsync(int maxLength, string what, CancellationToken ct)
    {
        var line = new StringBuilder();
        int consumed = 0;
        while (true)
        {
            if (_pos == _len && !await FillAsync(ct).ConfigureAwait(false))
            {
                if (consumed == 0) return null;
                throw new NsockException(NsockErrorKind.Io, $"the connection closed in the middle of the {what}");
            }
            int lf = Array.IndexOf(_buffer, (byte)'\n', _pos, _len - _pos);
            int end = lf < 0 ? _len : lf;
            consumed += end - _pos;
            if (consumed > maxLength) throw new NsockException(NsockErrorKind.Io, $"the {what} is longer than {maxLength} bytes");
            line.Append(HttpText.Latin1.GetString(_buffer, _pos, end - _pos));
            if (lf >= 0)
            {
                _pos = lf + 1;
                if (line.Length > 0 && line[line.Length - 1] == '\r') line.Length--;
                return line.ToString();
            }
            _pos = _len;
        }
    }

    /// <summary>Copies exactly <paramref name="count"/> bytes to <paramref name="sink"/>; fails if the connection ends first.</summary>
    public async Task CopyAsync(long count, Action<byte[], int, int> sink, string what, CancellationToken ct)
    {
        long left = count;
        while (left > 0)
        {
            if (_pos == _len && !await FillAsync(ct).ConfigureAwait(false))
                throw new NsockException(NsockErrorKind.Io, $"the connection closed after {count - left} of {count} {what} bytes");
            int n = (int)Math.Min(left, _len - _pos);
            sink(_buffer, _pos, n);
            _pos += n;
            left -= n;
        }
    }

    /// <summary>Copies everything up to the end of stream.</summary>
    public async Task CopyToEndAsync(Action<byte[], int, int> sink, CancellationToken ct)
    {
        while (_pos < _len || await FillAsync(ct).ConfigureAwait(false))
        {
            sink(_buffer, _pos, _len - _pos);
            _pos = _len;
        }
    }

    /// <summary>Consumes exactly CRLF (or a bare LF), as required after chunk data.</summary>
    public async Task ExpectLineEndAsync(string what, CancellationToken ct)
    {
        int first = await ReadByteAsync(ct).ConfigureAwait(false);
        int second = first == '\r' ? await ReadByteAsync(ct).ConfigureAwait(false) : first;
        if (second == '\n') return;
        if (first < 0 || second < 0) throw new NsockException(NsockErrorKind.Io, $"the connection closed right after {what}, before its CRLF");
        string found = first == '\r' ? "\\r" + Show(second) : Show(first);
        throw new NsockException(NsockErrorKind.Io, $"expected CRLF after {what}, found '{found}'");
    }

    private async Task<int> ReadByteAsync(CancellationToken ct)
    {
        if (_pos == _len && !await FillAsync(ct).ConfigureAwait(false)) return -1;
        return _buffer[_pos++];
    }

    private static string Show(int b) => b >= 0x20 && b < 0x7f ? ((char)b).ToString() : $"\\x{b:x2}";

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        TimeSpan wait = _timeout;
        if (_windowEnd != 0)
        {
            long left = _windowEnd - Stopwatch.GetTimestamp();
            if (left <= 0) throw WindowExpired();
            TimeSpan untilEnd = TimeSpan.FromMilliseconds(Math.Ceiling(left * 1000.0 / Stopwatch.Frequency));
            if (untilEnd < wait) wait = untilEnd;
        }
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
        idle.CancelAfter(wait);
        int n;
        try
        {
            n = await _stream.ReadAsync(_buffer, 0, _buffer.Length, idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw WindowExpired();
        }
        catch (IOException e)
        {
            throw SocketErrors.FromIo(e, "reading the response");
        }
        catch (SocketException e)
        {
            throw SocketErrors.Classify(e, "reading the response");
        }
        if (n == 0) return false;
        if (FirstByteAt == 0) FirstByteAt = Stopwatch.GetTimestamp();
        _windowBytes += n;
        if (_inBody && _windowEnd != 0 && _windowBytes >= _minWindowBytes) StartWindow();
        if (_raw is not null) await _raw.WriteAsync(_buffer, 0, n, ct).ConfigureAwait(false);
        _pos = 0;
        _len = n;
        Total += n;
        return true;
    }

    // The wait ended with the window: total silence keeps its plain message; a trickle says what the rule was.
    private NsockException WindowExpired()
    {
        string seconds = _timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        if (_windowBytes == 0) return new NsockException(NsockErrorKind.TimedOut, $"the server sent nothing for {seconds}s ({Total} bytes received)");
        if (!_inBody)
            return new NsockException(NsockErrorKind.TimedOut,
                $"the server did not complete the response head within {_timeoutName} {seconds}s (it trickled {_windowBytes} bytes; {Total} bytes received)");
        return new NsockException(NsockErrorKind.TimedOut,
            $"the body came too slowly: {_windowBytes} bytes in {seconds}s, less than the {_minWindowBytes} bytes each {_timeoutName} window must bring ({Total} bytes received)");
    }
}
