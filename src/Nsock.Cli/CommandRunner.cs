using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary>Runs a command body and turns every way it can end into an exit code and one clear message.</summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(Reporter reporter, Func<Task<int>> body, CancellationToken ct)
    {
        try
        {
            return await RunBodyAsync(reporter, body, ct).ConfigureAwait(false);
        }
        finally
        {
            reporter.Flush();
        }
    }

    private static async Task<int> RunBodyAsync(Reporter reporter, Func<Task<int>> body, CancellationToken ct)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Signals.CancelledExitCode;
        }
        catch (NsockException e)
        {
            return Fail(reporter, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(reporter, new NsockException(NsockErrorKind.Io, e.Message, e));
        }
    }

    public static int Fail(Reporter reporter, NsockException e)
    {
        int code = ExitCodes.For(e.Kind);
        reporter.Error(e, code);
        return code;
    }
}
