using System.CommandLine;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary><c>nsock probe</c>: which ports answer, over TCP or UDP, and --wait for one to come up.</summary>
internal static class ProbeCommand
{
    public static Command Create(GlobalOptions global, ConsoleIo io)
    {
        var targets = new Argument<string[]>("targets") { Description = "Names, addresses or CIDR blocks (at most 65,536 addresses)", Arity = ArgumentArity.OneOrMore };
        var ports = new Option<string>("--ports", "-p") { Description = "Ports: 22,80,443,8000-8100", Required = true };
        var udp = new Option<bool>("--udp", "-u") { Description = "UDP probes: a reply is open, ICMP port unreachable closed, silence open|filtered" };
        var parallel = new Option<int>("--parallel") { Description = "Probes in flight at once", DefaultValueFactory = _ => new PortProbeOptions().Parallel };
        var wait = new Option<bool>("--wait") { Description = "Poll until every port is open or --timeout (default 10 s) passes; exit 0 when open, 4 when not" };

        var command = new Command("probe", "Probe ports over TCP or UDP (open, closed, filtered, open|filtered)") { targets, ports, udp, parallel, wait };
        command.SetAction((parse, ct) =>
        {
            var ctx = new CommandContext(parse, global, io);
            Reporter reporter = ctx.Reporter(stdoutCarriesData: false);
            return CommandRunner.RunAsync(reporter, async () =>
            {
                ConnectTarget given = ctx.Target(endpoint: ""); // only the global options: --timeout when given, -4, -6
                var request = new ProbeRequest
                {
                    // The port list is the command's own spelling (22,80,8000-8100).
                    Groups = new[] { new PortProbeGroup(ctx.Get(targets)!, PortList.Parse(ctx.Get(ports)!)) },
                    Udp = ctx.Get(udp),
                    Timeout = given.Timeout,
                    Parallel = ctx.Get(parallel),
                    Wait = ctx.Get(wait),
                    IPv4 = given.IPv4,
                    IPv6 = given.IPv6,
                };
                ProbeOutcome outcome = await request.Validate(CommandNames.Instance).RunAsync(reporter, ct).ConfigureAwait(false);
                // A port that is not open exits 8; a --wait that ran out first, 4 (timed out).
                if (outcome.AllOpen) return ExitCodes.Success;
                return outcome.Failure is NsockErrorKind kind ? ExitCodes.For(kind) : ExitCodes.NotOpen;
            }, ct);
        });
        return command;
    }
}
