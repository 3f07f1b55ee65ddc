using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
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
                IReadOnlyList<int> portList = PortList.Parse(ctx.Get(ports)!);
                string[] targetList = ctx.Get(targets)!;
                var options = new PortProbeOptions
                {
                    Targets = targetList,
                    Ports = portList,
                    Udp = ctx.Get(udp),
                    Parallel = ctx.Get(parallel),
                    IpVersion = ctx.IpVersion,
                    Timeout = ctx.ExplicitTimeout ?? new PortProbeOptions().Timeout,
                };
                if (ctx.Get(wait))
                {
                    TimeSpan deadline = ctx.Timeout ?? TimeSpan.FromDays(365);
                    IReadOnlyList<PortProbeResult> waited = await PortProber.WaitAllAsync(options, deadline, reporter, ct).ConfigureAwait(false);
                    return waited.All(r => r.State == PortState.Open) ? ExitCodes.Success : ExitCodes.TimedOut;
                }
                IReadOnlyList<PortProbeResult> results = await PortProber.RunAsync(options, reporter, ct).ConfigureAwait(false);
                return results.All(r => r.State == PortState.Open) ? ExitCodes.Success : ExitCodes.NotOpen;
            }, ct);
        });
        return command;
    }
}
