using System;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.PowerShell;

/// <summary>
/// One engine operation running on the thread pool while the cmdlet's thread takes its events as they come:
/// <see cref="DrainToEnd"/> hands every queued item to the cmdlet (which writes objects and progress) until the
/// operation ends, then returns its result or throws its failure. Stopping the cmdlet (Ctrl+C) cancels the
/// operation, which closes its sockets; the cmdlet's thread is released at once and waits only a bounded grace
/// period for the engine to finish closing.
/// </summary>
internal sealed class EngineRun<T>
{
    /// <summary>How long a stopped run may take to close its sockets before the cmdlet returns anyway.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _cts;
    private readonly Task<T> _task;

    /// <summary>Starts <paramref name="work"/>; it stops when <paramref name="ct"/> is cancelled or <see cref="Cancel"/> is called.</summary>
    public EngineRun(Func<PipelineSink, CancellationToken, Task<T>> work, CancellationToken ct, int capacity = PipelineSink.DefaultCapacity)
    {
        _cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Sink = new PipelineSink(_cts.Token, capacity);
        CancellationToken token = _cts.Token;
        _task = Task.Run(() => work(Sink, token), CancellationToken.None);
        _task.ContinueWith(static (_, s) => ((PipelineSink)s!).Complete(), Sink, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Where the engine reports; also takes data chunks from <see cref="PipelineOutputStream"/>.</summary>
    public PipelineSink Sink { get; }

    /// <summary>The engine's task (completed once its last event is queued).</summary>
    public Task<T> Operation => _task;

    /// <summary>True when the engine ended (successfully or not).</summary>
    public bool IsDone => _task.IsCompleted;

    /// <summary>Stops the engine (closing its sockets) and waits at most <see cref="StopGrace"/> for it.</summary>
    public void Cancel()
    {
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
        try
        {
            _task.Wait(StopGrace);
        }
        catch (AggregateException)
        {
            // It failed or was cancelled while stopping: that is what stopping is.
        }
    }

    /// <summary>Hands over what is queued now, without waiting (between pipeline records).</summary>
    public void DrainAvailable(Action<object> deliver)
    {
        while (Sink.TryTake(out object? item, 0, CancellationToken.None)) deliver(item!);
    }

    /// <summary>
    /// Hands every item to <paramref name="deliver"/> on the calling thread until the engine ends, then returns its
    /// result (or throws what it threw). Cancelling <paramref name="stop"/> cancels the engine and throws
    /// <see cref="OperationCanceledException"/>; so does an exception from <paramref name="deliver"/> (rethrown).
    /// </summary>
    public T DrainToEnd(Action<object> deliver, CancellationToken stop)
    {
        try
        {
            while (Sink.TryTake(out object? item, Timeout.Infinite, stop)) deliver(item!);
        }
        catch
        {
            Cancel();
            throw;
        }
        return _task.GetAwaiter().GetResult();
    }
}
