using System;
using System.Management.Automation;
using System.Threading;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// What every nsock cmdlet does the same way: a cancellation token that Ctrl+C (StopProcessing) cancels, the
/// engine run whose events are written on the pipeline thread, and engine failures as ErrorRecords with the
/// categories of <see cref="ErrorMapping"/>.
/// </summary>
public abstract class NsockCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline is stopped.</summary>
    protected CancellationToken StopToken => _stopping.Token;

    /// <summary>Cancels the engine: its sockets close and the cmdlet returns promptly.</summary>
    protected override void StopProcessing()
    {
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The cmdlet already finished: there is nothing left to stop.
        }
    }

    /// <summary>Releases the cancellation source.</summary>
    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Runs <paramref name="run"/> to its end, writing what it reports through <paramref name="deliver"/> on this
    /// thread. True with the result; false when it failed (the error is written, non-terminating, with
    /// <paramref name="target"/> as its target object). Ctrl+C ends the pipeline.
    /// </summary>
    internal bool TryComplete<T>(EngineRun<T> run, Action<object> deliver, object? target, out T result)
    {
        try
        {
            result = run.DrainToEnd(deliver, StopToken);
            return true;
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception e) when (ErrorMapping.For(e) is not null)
        {
            WriteError(ToErrorRecord(e, target));
            result = default!;
            return false;
        }
    }

    /// <summary>Runs <paramref name="action"/>; an engine failure becomes a non-terminating error. True when it succeeded.</summary>
    internal bool Try(Action action, object? target)
    {
        try
        {
            action();
            return true;
        }
        catch (Exception e) when (ErrorMapping.For(e) is not null)
        {
            WriteError(ToErrorRecord(e, target));
            return false;
        }
    }

    /// <summary>
    /// Bad parameter values end the cmdlet: nothing can be done with them (as the command exits 2 before opening
    /// anything). So does a path that cannot be read while the files to send are chosen.
    /// </summary>
    internal T CheckParameters<T>(Func<T> map, object? target)
    {
        try
        {
            return map();
        }
        catch (Exception e) when (ErrorMapping.For(e) is not null)
        {
            ThrowTerminatingError(ToErrorRecord(e, target));
            throw; // not reached: ThrowTerminatingError throws
        }
    }

    /// <summary>An ErrorRecord for <paramref name="e"/>: id and category from <see cref="ErrorMapping"/>.</summary>
    internal static ErrorRecord ToErrorRecord(Exception e, object? target)
    {
        ErrorInfo info = ErrorMapping.For(e) ?? new ErrorInfo("Unexpected", nameof(ErrorCategory.NotSpecified));
        return new ErrorRecord(e, info.ErrorId, Category(info), target);
    }

    /// <summary>An ErrorRecord with its own message (for results that are not exceptions, like a file that did not arrive).</summary>
    internal static ErrorRecord ToErrorRecord(ErrorInfo info, string message, object? target) =>
        new(new NsockException(NsockErrorKind.Io, message), info.ErrorId, Category(info), target);

    /// <summary>Writes a progress record decided by a mapping class.</summary>
    internal void Write(ProgressInfo p)
    {
        var record = new ProgressRecord(p.Id, p.Activity, p.Status)
        {
            ParentActivityId = p.ParentId,
            PercentComplete = p.PercentComplete,
            SecondsRemaining = p.SecondsRemaining,
            RecordType = p.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        if (p.CurrentOperation is not null) record.CurrentOperation = p.CurrentOperation;
        WriteProgress(record);
    }

    /// <summary>
    /// The records in an -InputObject value: one, or the items of an array given as a parameter
    /// (-InputObject "a","b" is sent as if "a","b" had been piped), each unwrapped from its PSObject.
    /// </summary>
    protected static System.Collections.Generic.IEnumerable<object?> Items(object? input)
    {
        object? value = input is PSObject ps ? ps.BaseObject : input;
        if (value is System.Collections.IEnumerable items and not string and not byte[])
        {
            foreach (object? item in items) yield return item is PSObject p ? p.BaseObject : item;
        }
        else
        {
            yield return value;
        }
    }

    /// <summary>The current file system folder of the session (where relative paths and globs start).</summary>
    protected string CurrentFolder => SessionState.Path.CurrentFileSystemLocation.ProviderPath;

    private static ErrorCategory Category(ErrorInfo info) =>
        Enum.TryParse(info.Category, out ErrorCategory c) ? c : ErrorCategory.NotSpecified;
}
