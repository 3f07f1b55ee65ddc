using System;
using System.Collections.Concurrent;
using System.Threading;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// The module's one implementation of the engine's output interface. The engine reports from its own threads,
/// but PowerShell lets only the pipeline thread write objects, progress or errors; so events (and data chunks,
/// see <see cref="PipelineOutputStream"/>) are queued here and <see cref="EngineRun{T}"/> hands them to the cmdlet
/// on its thread. The queue is bounded: a pipeline that cannot keep up slows the engine instead of filling
/// memory, and cancelling the run releases an engine thread waiting for room.
/// </summary>
internal sealed class PipelineSink : IEventSink
{
    /// <summary>Items held before an engine thread waits for the pipeline to catch up.</summary>
    public const int DefaultCapacity = 4096;

    private readonly BlockingCollection<object> _queue;
    private readonly CancellationToken _cancelled;

    public PipelineSink(CancellationToken cancelled, int capacity = DefaultCapacity)
    {
        _queue = new BlockingCollection<object>(new ConcurrentQueue<object>(), capacity);
        _cancelled = cancelled;
    }

    /// <summary>True once the run ended and every queued item was taken.</summary>
    public bool IsCompleted => _queue.IsCompleted;

    /// <inheritdoc />
    public void Emit(NsockEvent e) => Post(e);

    /// <summary>Queues anything the cmdlet should see on its thread: an event, a data chunk, a byte count.</summary>
    public void Post(object item)
    {
        try
        {
            _queue.Add(item, _cancelled);
        }
        catch (OperationCanceledException)
        {
            // The run was stopped: nobody will read it.
        }
        catch (InvalidOperationException)
        {
            // The run is over (CompleteAdding): a late event from a thread still winding down.
        }
    }

    /// <summary>Called when the engine's task ended: the reader stops once the queue is empty.</summary>
    public void Complete() => _queue.CompleteAdding();

    /// <summary>Takes the next item, waiting up to <paramref name="millisecondsTimeout"/>; false when none came or the run is over.</summary>
    public bool TryTake(out object? item, int millisecondsTimeout, CancellationToken ct)
    {
        bool got = _queue.TryTake(out object? taken, millisecondsTimeout, ct);
        item = taken;
        return got;
    }
}
