using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary><c>nsock forward LISTEN TARGET</c>: every client of LISTEN gets a connection of its own to TARGET, bytes both ways with half-close (socat TCP-LISTEN,fork TCP:target).</summary>
internal sealed class ForwardCommand : NsockCommand
{
    private readonly Argument<string> _listen = new("listen") { Description = "Where to listen: port, :port, host:port, [v6addr]:port or unix:/path; port 0 picks a free port" };
    private readonly Argument<string> _target = new("target") { Description = "Where to forward each client: host:port, [v6addr]:port, unix:/path, or udp://host:port (tcp:// for a stream target of a UDP listener)" };

    public ForwardCommand(GlobalOptions global, SharedOptions shared, ConsoleIo io)
        : base("forward", "Forward every client to a target, bytes both ways (socat TCP-LISTEN,fork TCP:host:port)", global, shared, io)
    {
        Add(_listen);
        Add(_target);
        Add(Shared.Udp);
        Add(Shared.MaxClients);
        Add(Shared.Count);
        Add(Shared.Allow);
        Add(Shared.Deny);
        Add(Shared.Stats);
    }

    protected override async Task<int> ExecuteAsync(CommandContext ctx, Reporter reporter, CancellationToken ct)
    {
        var request = new ListenRequest
        {
            Endpoint = ctx.Get(_listen),
            ForwardTo = ctx.Get(_target),
            Udp = ctx.Get(Shared.Udp),
            IPv4 = ctx.IPv4,
            IPv6 = ctx.IPv6,
            MaxClients = ctx.Get(Shared.MaxClients),
            ClientCount = ctx.Get(Shared.Count),
            Allow = ctx.Get(Shared.Allow),
            Deny = ctx.Get(Shared.Deny),
            // Only --timeout given explicitly bounds a forwarded connection's silence (0: never; UDP sessions: 60 s).
            IdleTimeout = ctx.GivenTimeout,
            Statistics = ctx.Given(Shared.Stats),
            StatisticsInterval = ctx.Get(Shared.Stats),
        };
        ListenPlan plan = request.Validate(CommandNames.Instance);
        using Listener listener = await plan.BindAsync(ct).ConfigureAwait(false);
        // SIGUSR1 asks for a report now; registered before the listener is ready, so a signal sent once it is cannot kill the process.
        using System.IDisposable? onUser1 = request.Statistics ? Signals.OnUser1(listener.ReportStatistics) : null;
        await listener.RunAsync(null, null, reporter, ct).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
