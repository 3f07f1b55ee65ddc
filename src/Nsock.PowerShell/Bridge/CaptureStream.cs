using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.PowerShell;

/// <summary>
/// Keeps what the engine writes, up to a limit, write by write: over UDP each write of a reply is one datagram,
/// so <see cref="Segments"/> are the datagrams. Safe to read while an engine thread writes (a background
/// listener's capture is read while it serves).
/// </summary>
internal sealed class CaptureStream : WriteOnlyStream
{
    private readonly long _limit;
    private readonly List<byte[]> _segments = new();
    private readonly object _lock = new();
    private long _kept;
    private long _total;

    public CaptureStream(long limit = long.MaxValue) => _limit = limit;

    /// <summary>Every byte written, kept or not.</summary>
    public long Total
    {
        get
        {
            lock (_lock) return _total;
        }
    }

    /// <summary>True when more was written than the limit let keep.</summary>
    public bool Truncated
    {
        get
        {
            lock (_lock) return _total > _kept;
        }
    }

    /// <summary>The writes, in order (the last one cut at the limit).</summary>
    public IReadOnlyList<byte[]> Segments
    {
        get
        {
            lock (_lock) return _segments.ToArray();
        }
    }

    public override long Length => Total;

    /// <summary>What was kept, as one array.</summary>
    public byte[] ToArray()
    {
        lock (_lock)
        {
            byte[] all = new byte[_kept];
            long at = 0;
            foreach (byte[] s in _segments)
            {
                Buffer.BlockCopy(s, 0, all, (int)at, s.Length);
                at += s.Length;
            }
            return all;
        }
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_lock)
        {
            _total += count;
            int keep = (int)Math.Min(count, _limit - _kept);
            if (keep <= 0 && count > 0) return;
            byte[] copy = new byte[keep];
            Buffer.BlockCopy(buffer, offset, copy, 0, keep);
            _segments.Add(copy);
            _kept += keep;
        }
    }
}
