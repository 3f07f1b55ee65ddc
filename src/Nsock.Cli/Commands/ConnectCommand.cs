using System;
using System.CommandLine;
using System.Net.Sockets;
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
                if (ctx.Get(sendOnly) && ctx.Get(recvOnly)) throw new NsockException(NsockErrorKind.BadInput, "--send-only and --recv-only exclude each other");
                double? wait = ctx.Get(waitAfterEof);
                if (wait is < 0) throw new NsockException(NsockErrorKind.BadInput, $"--wait-after-eof must be 0 or more seconds, not {wait}");
                Endpoint ep = CommandContext.Endpoint(ctx.Get(endpoint)!, ctx.Get(udp));
                Connector.ValidateForConnect(ep);

                Socket socket = await Connector.ConnectAsync(ep, ctx.ConnectOptions, ct).ConfigureAwait(false);
                Connected connected = Connected.To(ep, socket);
                string remote = connected.Remote;
                reporter.Emit(connected);

                var options = new RelayOptions
                {
                    Direction = ctx.Get(sendOnly) ? RelayDirection.SendOnly : ctx.Get(recvOnly) ? RelayDirection.ReceiveOnly : RelayDirection.Both,
                    ShutdownOnInputEnd = !ctx.Get(noShutdown),
                    // A person at a terminal is done when the peer hangs up; a pipe may still have bytes to deliver.
                    StopWhenPeerCloses = io.StdInIsTerminal,
                    WaitAfterInputEnds = wait is double w ? TimeSpan.FromSeconds(w) : null,
                    IdleTimeout = ctx.Timeout,
                };
                RelayResult r = await StreamRelay.RunAsync(socket, io.StdIn, io.StdOut, options, ct).ConfigureAwait(false);
                reporter.Emit(new ClientClosed(0, remote, r.BytesReceived, r.BytesSent, r.Seconds, r.Error?.Message));
                if (r.Error is not null) return CommandRunner.Fail(reporter, r.Error);
                return ExitCodes.Success;
            }, ct);
        });
        return command;
    }
}
