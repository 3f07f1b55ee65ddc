using System;
using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary><c>nsock connect</c>: stdin to the socket, the socket to stdout, like <c>nc host port</c>.</summary>
internal static class ConnectCommand
{
    public static Command Create(GlobalOptions global, ConsoleIo io)
    {
        var endpoint = new Argument<string>("endpoint") { Description = "host:port, [v6addr]:port, unix:/path, optionally tcp:// udp:// unix://" };
        var udp = new Option<bool>("--udp", "-u") { Description = "UDP: each read of stdin is one datagram" };
        var sendOnly = new Option<bool>("--send-only") { Description = "Only send stdin; what the peer sends is read and discarded" };
        var recvOnly = new Option<bool>("--recv-only") { Description = "Only print what the peer sends; stdin is not read" };
        var noShutdown = new Option<bool>("--no-shutdown") { Description = "Do not half-close the socket when stdin ends" };
        var waitAfterEof = new Option<double?>("--wait-after-eof", "-q") { Description = "After stdin ends, exit at most this many seconds later even if the peer stays open" };

        var command = new Command("connect", "Connect and relay stdin/stdout (nc host port)") { endpoint, udp, sendOnly, recvOnly, noShutdown, waitAfterEof };
        command.SetAction((parse, ct) =>
        {
            var ctx = new CommandContext(parse, global, io);
            Reporter reporter = ctx.Reporter(stdoutCarriesData: true);
            return CommandRunner.RunAsync(reporter, async () =>
            {
                var request = new ConnectRequest
                {
                    Target = ctx.Target(ctx.Get(endpoint)!, ctx.Get(udp)),
                    SendOnly = ctx.Get(sendOnly),
                    ReceiveOnly = ctx.Get(recvOnly),
                    NoShutdown = ctx.Get(noShutdown),
                    WaitAfterInputEnds = ctx.Get(waitAfterEof),
                    InteractiveInput = io.StdInIsTerminal,
                };
                ConnectPlan plan = request.Validate(CommandNames.Instance);
                RelayResult r = await plan.RunAsync(io.StdIn, io.StdOut, reporter, ct).ConfigureAwait(false);
                if (r.Error is not null) return CommandRunner.Fail(reporter, r.Error);
                return ExitCodes.Success;
            }, ct);
        });
        return command;
    }
}
