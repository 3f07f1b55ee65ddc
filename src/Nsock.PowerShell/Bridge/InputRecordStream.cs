using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.PowerShell;

/// <summary>
/// The input stream handed to the engine where the command would pass stdin, fed record by record from the
/// pipeline thread while the engine reads on its own. A read never returns bytes of two records, so over UDP
/// (where each read of the data is one datagram) each pipeline record is one datagram. The pipeline thread
/// waits when more than <see cref="MaxBufferedBytes"/> are queued: a big file piped in is sent as fast as the
/// socket takes it, not loaded into memory first.
/// </summary>
internal sealed class InputRecordStream : Stream
{
    /// <summary>Bytes queued before <see cref="Add"/> waits for the engine to take some.</summary>
    public const int MaxBufferedBytes = 4 * 1024 * 1024;

    private readonly object _lock = new();
    private readonly Queue<byte[]> _records = new();
    private readonly SemaphoreSlim _available = new(0);
    private byte[]? _current;
    private int _currentOffset;
    private long _buffered;
    private bool _completed;
    private bool _aborted;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>A stream of records that are all known already (a listener's input): read, then end.</summary>
    public static InputRecordStream Of(IEnumerable<byte[]> records)
    {
        var stream = new InputRecordStream();
        foreach (byte[] r in records)
        {
            if (r.Length == 0) continue;
            stream._records.Enqueue(r);
            stream._buffered += r.Length;
            stream._available.Release();
        }
        stream.Complete();
        return stream;
    }

    /// <summary>Queues one record; waits while the queue is full. False when the engine no longer reads (it ended or failed).</summary>
    public bool Add(byte[] record, CancellationToken ct)
    {
        if (record.Length == 0) return true; // a read of 0 bytes would mean end of stream to the engine
        lock (_lock)
        {
            while (!_aborted && _buffered > 0 && _buffered + record.Length > MaxBufferedBytes)
            {
                if (ct.IsCancellationRequested) return false;
                Monitor.Wait(_lock, 100);
            }
            if (_aborted || _completed) return false;
            _records.Enqueue(record);
            _buffered += record.Length;
        }
        _available.Release();
        return true;
    }

    /// <summary>No more records: the engine's next read after the queue empties sees end of stream.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            if (_completed) return;
            _completed = true;
        }
        _available.Release();
    }

    /// <summary>The engine is done (or stopped): release a pipeline thread waiting for room, and any blocked read.</summary>
    public void Abort()
    {
        lock (_lock)
        {
            _aborted = true;
            _records.Clear();
            _buffered = 0;
            Monitor.PulseAll(_lock);
        }
        Complete();
        _available.Release();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        while (true)
        {
            if (TryCopy(buffer, offset, count, out int n)) return n;
            _available.Wait();
        }
    }

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryCopy(buffer, offset, count, out int n)) return n;
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // Copies from the current record (taking the next one when needed); false when the caller must wait.
    private bool TryCopy(byte[] buffer, int offset, int count, out int copied)
    {
        lock (_lock)
        {
            while (_current is null || _currentOffset == _current.Length)
            {
                if (_records.Count == 0)
                {
                    copied = 0;
                    if (_completed || _aborted)
                    {
                        _available.Release(); // every later read sees the end too
                        return true;
                    }
                    return false;
                }
                _current = _records.Dequeue();
                _currentOffset = 0;
            }
            copied = Math.Min(count, _current.Length - _currentOffset);
            Buffer.BlockCopy(_current, _currentOffset, buffer, offset, copied);
            _currentOffset += copied;
            _buffered -= copied;
            Monitor.PulseAll(_lock);
            return true;
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) Abort();
        base.Dispose(disposing);
    }
}
