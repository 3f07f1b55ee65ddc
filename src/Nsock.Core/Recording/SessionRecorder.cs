using System;
using System.IO;

namespace Nsock.Core;

// --hex-dump FILE and --output FILE (ncat -x/-o): both directions of a session, each chunk as it was sent or
// received, under a header that says which way it went, when, for which client, and how many bytes:
//
//   > 2026-11-30T22:40:01.123456Z client 1 sent 6 bytes at 0
//   < 2026-11-30T22:40:01.124010Z client 1 received 3 bytes at 0
//
// ('>' left nsock, '<' arrived; "at" is the byte offset in that direction of that client's stream.) The hex dump
// follows each header with hexdump -C lines; the output file with the bytes exactly as they were, then a line
// feed, so the next header starts a line (the count says where the bytes end). The files are written as the session
// runs and flushed after each chunk, so a session cut short by Ctrl+C or a crash still has its record: a log, not a
// result, which is why it is written in place rather than renamed into place at the end. Chunks are whole: the
// relay's threads take turns, so a chunk is never interleaved with another. Nothing is allocated per chunk.
internal sealed class SessionRecorder : IDisposable
{
    private readonly FileStream? _hex;
    private readonly FileStream? _raw;
    private readonly object _lock = new();
    private readonly byte[] _header = new byte[128];
    private readonly byte[] _line = new byte[HexDumpLine.MaxLength];
    private bool _disposed;

    private SessionRecorder(FileStream? hex, FileStream? raw)
    {
        _hex = hex;
        _raw = raw;
    }

    /// <summary>A recorder writing the files given (created or truncated), or null when neither is.</summary>
    public static SessionRecorder? Open(string? hexDumpPath, string? outputPath)
    {
        if (hexDumpPath is null && outputPath is null) return null;
        FileStream? hex = null;
        try
        {
            hex = hexDumpPath is null ? null : Create(hexDumpPath);
            FileStream? raw = outputPath is null ? null : Create(outputPath);
            return new SessionRecorder(hex, raw);
        }
        catch
        {
            hex?.Dispose();
            throw;
        }
    }

    /// <summary>Records one chunk that was sent (<paramref name="sent"/>) or received, by client <paramref name="client"/> (0: the one peer of a connect).</summary>
    public void Record(bool sent, long client, long at, byte[] data, int offset, int count)
    {
        lock (_lock)
        {
            if (_disposed) return;
            int h = Header(sent, client, at, count);
            if (_hex is not null)
            {
                _hex.Write(_header, 0, h);
                for (int i = 0; i < count; i += 16)
                {
                    int n = HexDumpLine.Format(at + i, data, offset + i, Math.Min(16, count - i), _line);
                    _hex.Write(_line, 0, n);
                }
                _hex.Flush();
            }
            if (_raw is not null)
            {
                _raw.Write(_header, 0, h);
                _raw.Write(data, offset, count);
                _raw.WriteByte((byte)'\n');
                _raw.Flush();
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            _hex?.Dispose();
            _raw?.Dispose();
        }
    }

    private static FileStream Create(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new NsockException(NsockErrorKind.BadInput, $"cannot write the session record '{path}': {e.Message}", e);
        }
    }

    // "> 2026-11-30T22:40:01.123456Z client 1 sent 6 bytes at 0\n", formatted by hand into the header buffer.
    private int Header(bool sent, long client, long at, int count)
    {
        int p = 0;
        _header[p++] = sent ? (byte)'>' : (byte)'<';
        _header[p++] = (byte)' ';
        DateTime now = DateTime.UtcNow;
        p = Digits(now.Year, 4, p);
        _header[p++] = (byte)'-';
        p = Digits(now.Month, 2, p);
        _header[p++] = (byte)'-';
        p = Digits(now.Day, 2, p);
        _header[p++] = (byte)'T';
        p = Digits(now.Hour, 2, p);
        _header[p++] = (byte)':';
        p = Digits(now.Minute, 2, p);
        _header[p++] = (byte)':';
        p = Digits(now.Second, 2, p);
        _header[p++] = (byte)'.';
        p = Digits(now.Ticks % TimeSpan.TicksPerSecond / 10, 6, p);
        _header[p++] = (byte)'Z';
        if (client > 0)
        {
            p = Text(" client ", p);
            p = Digits(client, 1, p);
        }
        p = Text(sent ? " sent " : " received ", p);
        p = Digits(count, 1, p);
        p = Text(count == 1 ? " byte at " : " bytes at ", p);
        p = Digits(at, 1, p);
        _header[p++] = (byte)'\n';
        return p;
    }

    private int Text(string text, int p)
    {
        foreach (char c in text) _header[p++] = (byte)c;
        return p;
    }

    // value in decimal, at least minDigits wide (zero-padded).
    private int Digits(long value, int minDigits, int p)
    {
        int digits = 1;
        for (long v = value / 10; v > 0; v /= 10) digits++;
        if (digits < minDigits) digits = minDigits;
        for (int i = digits - 1; i >= 0; i--)
        {
            _header[p + i] = (byte)('0' + value % 10);
            value /= 10;
        }
        return p + digits;
    }
}
