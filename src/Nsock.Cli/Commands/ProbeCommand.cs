using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary><c>nsock probe</c>: which ports answer, over TCP or UDP, and --wait for one to come up.</summary>
internal sealed class ProbeCommand : NsockCommand
{
    private readonly Argument<string[]> _targets = new("targets") { Description = "Names, addresses or CIDR blocks (at most 65,536 addresses)", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string> _ports = new("--ports", "-p") { Description = "Ports: 22,80,443,8000-8100", Required = true };
    private readonly Option<int> _parallel = new("--parallel") { Description = "Probes in flight at once", DefaultValueFactory = _ => new PortProbeOptions().Parallel };
    private readonly Option<double?> _expiresWithin = new("--expires-within") { Description = "With --tls: exit 8 when a certificate expires within DAYS (or has expired); the lines say which", HelpName = "DAYS" };
    private readonly Option<bool> _wait = new("--wait") { Description = "Poll until every port is open or --timeout (default 10 s) passes; exit 0 when open, 4 when not" };

    public ProbeCommand(GlobalOptions global, SharedOptions shared, ConsoleIo io)
        : base("probe", "Probe ports over TCP or UDP (open, closed, filtered, open|filtered)", global, shared, io)
    {
        Add(_targets);
        Add(_ports);
        Add(Shared.Udp);
        Add(_parallel);
        Add(_wait);
        Add(Shared.Source);
        Add(Shared.Tls);
        Add(Shared.Ca);
        Add(Shared.Sni);
        Add(_expiresWithin);
        Add(Shared.Proxy);
    }

    protected override async Task<int> ExecuteAsync(CommandContext ctx, Reporter reporter, CancellationToken ct)
    {
        var request = new ProbeRequest
        {
            // The port list is the command's own spelling (22,80,8000-8100).
            Groups = new[] { new PortProbeGroup(ctx.Get(_targets)!, PortList.Parse(ctx.Get(_ports)!)) },
            Udp = ctx.Get(Shared.Udp),
            Timeout = ctx.GivenTimeout,
            Parallel = ctx.Get(_parallel),
            Wait = ctx.Get(_wait),
            IPv4 = ctx.IPv4,
            IPv6 = ctx.IPv6,
            Source = ctx.Get(Shared.Source),
            Tls = ctx.Get(Shared.Tls),
            CaFile = ctx.Get(Shared.Ca),
            Sni = ctx.Get(Shared.Sni),
            ExpiresWithinDays = ctx.Get(_expiresWithin),
            Proxy = ctx.Proxy,
        };
        ProbeOutcome outcome = await request.Validate(CommandNames.Instance).RunAsync(reporter, ct).ConfigureAwait(false);
        // A port that is not open exits 8; a --wait that ran out first, 4 (timed out); a certificate expiring within
        // --expires-within, 8 as well (the check failed; its lines say which).
        if (outcome.ExpiringSoon > 0)
        {
            reporter.Warn($"{outcome.ExpiringSoon} certificate{(outcome.ExpiringSoon == 1 ? "" : "s")} expire{(outcome.ExpiringSoon == 1 ? "s" : "")} within {request.ExpiresWithinDays} days");
            return outcome.Failure is NsockErrorKind k ? ExitCodes.For(k) : ExitCodes.NotOpen;
        }
        if (outcome.AllOpen) return ExitCodes.Success;
        return outcome.Failure is NsockErrorKind kind ? ExitCodes.For(kind) : ExitCodes.NotOpen;
    }
}
