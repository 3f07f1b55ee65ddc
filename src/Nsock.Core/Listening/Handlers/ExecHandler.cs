using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// --exec / --sh-exec (ncat -e / -c): a program per client, its stdin fed what the client sends and its stdout sent
// to the client (through pipes, by the relay connect and listen use, with half-close both ways), its stderr left on
// the listener's own. When the program's output ends the client is half-closed and, a second later at most, closed;
// when the client's stream ends the program's stdin is closed. Whatever ends the connection, the program is given a
// second to exit, then killed with its process tree, and always reaped: no zombies.
internal sealed class ExecHandler : IClientHandler
{
    /// <summary>How long after its output ended the connection waits for the client's end, and the program for its exit.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    private readonly IReadOnlyList<string> _argv;
    private readonly RelayOptions _relay;

    public ExecHandler(IReadOnlyList<string> argv, TimeSpan? idleTimeout)
    {
        _argv = argv;
        _relay = new RelayOptions { IdleTimeout = idleTimeout, WaitAfterInputEnds = Grace, BufferSize = 64 * 1024 };
    }

    public async Task<ClientOutcome?> ServeAsync(Socket client, ClientContext context, CancellationToken ct)
    {
#if NET
        var start = new ProcessStartInfo(_argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
        };
        for (int i = 1; i < _argv.Count; i++) start.ArgumentList.Add(_argv[i]);
        start.Environment["NSOCK_PEER"] = context.Remote;
        Process? process;
        long began = Stopwatch.GetTimestamp();
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process was started");
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            try { client.LingerState = new LingerOption(true, 0); } catch (SocketException) { }
            client.Dispose();
            return new ClientOutcome(0, 0, (Stopwatch.GetTimestamp() - began) / (double)Stopwatch.Frequency, $"starting {NsockText.Printable(_argv[0])}: {e.Message}");
        }
        using (process)
        {
            var stdin = new ProcessInput(process.StandardInput.BaseStream);
            RelayResult? r = null;
            try
            {
                r = await StreamRelay.RunAsync(client, process.StandardOutput.BaseStream, stdin, _relay, ct).ConfigureAwait(false);
            }
            finally
            {
                stdin.CloseWrite();
                End(process, ct.IsCancellationRequested ? TimeSpan.Zero : Grace);
            }
            string? error = r.Error?.Message ?? (process.ExitCode != 0 ? $"{NsockText.Printable(_argv[0])} exited with {process.ExitCode}" : null);
            return new ClientOutcome(r.BytesReceived, r.BytesSent, r.Seconds, error) { Relay = r };
        }
#else
        await Task.CompletedTask.ConfigureAwait(false);
        client.Dispose();
        throw NsockException.BadInput("--exec needs PowerShell 7 or the nsock command");
#endif
    }

#if NET
    // The program has the grace to exit by itself (its stdin is closed), then it and its children are killed; waiting
    // for it reaps it.
    private static void End(Process process, TimeSpan grace)
    {
        try
        {
            if (!process.WaitForExit((int)grace.TotalMilliseconds)) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
        process.WaitForExit();
    }
#endif
}
