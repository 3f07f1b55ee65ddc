using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace Nsock.Cli;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM cancel the running command's token; the command closes its sockets and exits
/// 130 or 143. If it has not finished after the grace period, the process exits anyway with that code.
/// </summary>
internal static class Signals
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);
    private static int s_code = ExitCodes.Interrupted;
    private static Timer? s_deadline;

    /// <summary>130 after Ctrl+C (and for in-process cancellation), 143 after SIGTERM.</summary>
    public static int CancelledExitCode => Volatile.Read(ref s_code);

    public static IDisposable[] Install(CancellationTokenSource cts)
    {
        return new IDisposable[]
        {
            PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Cancel(c, cts, ExitCodes.Interrupted)),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Cancel(c, cts, ExitCodes.Terminated)),
        };
    }

    private static void Cancel(PosixSignalContext context, CancellationTokenSource cts, int code)
    {
        context.Cancel = true; // we end the process ourselves, after closing sockets
        Volatile.Write(ref s_code, code);
        if (cts.IsCancellationRequested) Environment.Exit(code); // a second signal: stop now
        cts.Cancel();
        s_deadline = new Timer(_ => Environment.Exit(code), null, Grace, System.Threading.Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Runs <paramref name="action"/> on each SIGUSR1 (a report asked for by <c>kill -USR1 PID</c>). .NET's
    /// <see cref="PosixSignal"/> has no SIGUSR1, but on Unix a raw signal number may be cast to it: 10 on Linux,
    /// 30 on macOS and the BSDs. Windows has no such signal: null there.
    /// </summary>
    public static IDisposable? OnUser1(Action action)
    {
        if (OperatingSystem.IsWindows()) return null;
        int number = OperatingSystem.IsLinux() ? 10 : 30;
        try
        {
            return PosixSignalRegistration.Create((PosixSignal)number, c =>
            {
                c.Cancel = true; // its default action is to end the process
                action();
            });
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }
}
