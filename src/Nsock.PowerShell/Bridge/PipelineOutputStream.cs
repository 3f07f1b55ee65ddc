using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.PowerShell;

/// <summary>
/// The output stream handed to the engine where the command would pass stdout. It writes through to
/// <c>inner</c> (a file, a memory buffer) when there is one, queues each write as a <see cref="DataChunk"/>
/// when the cmdlet streams data as objects, and reports a <see cref="ByteCount"/> at most four times a second
/// for progress. Writes come from engine threads; the pipeline thread only ever reads the queue.
/// </summary>
internal sealed class PipelineOutputStream : WriteOnlyStream
{
    private readonly PipelineSink _sink;
    private readonly Stream? _inner;
    private readonly bool _chunks;
    private readonly bool _progress;
    private long _total;
    private long _lastReport;

    public PipelineOutputStream(PipelineSink sink, Stream? inner, bool chunks, bool progress)
    {
        _sink = sink;
        _inner = inner;
        _chunks = chunks;
        _progress = progress;
    }

    /// <summary>Bytes written so far.</summary>
    public long Total => Interlocked.Read(ref _total);

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (count == 0) return;
        _inner?.Write(buffer, offset, count);
        if (_chunks)
        {
            byte[] copy = new byte[count];
            Buffer.BlockCopy(buffer, offset, copy, 0, count);
            _sink.Post(new DataChunk(copy));
        }
        long total = Interlocked.Add(ref _total, count);
        if (_progress)
        {
            long now = Stopwatch.GetTimestamp();
            if (now - Interlocked.Read(ref _lastReport) >= Stopwatch.Frequency / 4)
            {
                Interlocked.Exchange(ref _lastReport, now);
                _sink.Post(new ByteCount(total));
            }
        }
    }

    public override void Flush() => _inner?.Flush();
}
