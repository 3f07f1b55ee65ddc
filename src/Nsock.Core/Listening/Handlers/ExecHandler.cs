using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// --exec / --sh-exec (ncat -e / -c): a program per client, its stdin fed what the client sends and its stdout sent
// to the client (through pipes, by the relay connect and listen use, with half-close both ways), its stderr left on
// the listener's own. When the program's output ends the client is half-closed and, a second later at most, closed;
// when the client's stream ends the program's stdin is closed. Whatever ends the connection, the program is given a
// second to exit, then killed with its process tree, and always reaped: no zombies (ProgramRun).
internal sealed class ExecHandler : IClientHandler
{
    private readonly IReadOnlyList<string> _argv;
    private readonly RelayOptions _relay;

    public ExecHandler(IReadOnlyList<string> argv, TimeSpan? idleTimeout, TimeSpan? inactivity = null)
    {
        _argv = argv;
        _relay = ProgramRelay(idleTimeout) with { InactivityTimeout = inactivity };
    }

    /// <summary>The relay between a socket and a program: the program's end of output ends the connection a grace later.</summary>
    public static RelayOptions ProgramRelay(TimeSpan? idleTimeout) =>
        new() { IdleTimeout = idleTimeout, WaitAfterInputEnds = ProgramRun.Grace, BufferSize = 64 * 1024 };

    public async Task<ClientOutcome?> ServeAsync(Socket client, ClientContext context, CancellationToken ct)
    {
        long began = Stopwatch.GetTimestamp();
        ProgramRun program;
        try
        {
            program = ProgramRun.Start(_argv, context.Remote);
        }
        catch (NsockException e)
        {
            try { client.LingerState = new LingerOption(true, 0); } catch (SocketException) { }
            client.Dispose();
            return new ClientOutcome(0, 0, (Stopwatch.GetTimestamp() - began) / (double)Stopwatch.Frequency, e.Message);
        }
        using (program)
        {
            RelayResult? r = null;
            try
            {
                r = await StreamRelay.RunAsync(client, program.Output, program.Input, _relay, ct).ConfigureAwait(false);
            }
            finally
            {
                program.End(ct.IsCancellationRequested ? TimeSpan.Zero : ProgramRun.Grace);
            }
            string? error = r.Error?.Message ?? (program.ExitCode != 0 ? $"{NsockText.Printable(_argv[0])} exited with {program.ExitCode}" : null);
            return new ClientOutcome(r.BytesReceived, r.BytesSent, r.Seconds, error) { Relay = r };
        }
    }
}
