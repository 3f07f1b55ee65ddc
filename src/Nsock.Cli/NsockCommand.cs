using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Cli;

/// <summary>
/// One base for every command (as Aspire's BaseCommand): the action is set once here — the context over the global
/// options, the reporter, the runner that turns every way a command ends into an exit code — so a command only
/// declares its options, binds them into an engine request and renders the outcome.
/// </summary>
internal abstract class NsockCommand : Command
{
    protected NsockCommand(string name, string description, GlobalOptions global, SharedOptions shared, ConsoleIo io)
        : base(name, description)
    {
        Io = io;
        Shared = shared;
        SetAction((parse, ct) =>
        {
            // --proxy only where the command takes it (the connecting ones): read once here, bound by ctx.Target.
            var ctx = new CommandContext(parse, global, io) { Proxy = Options.Contains(shared.Proxy) ? parse.GetValue(shared.Proxy) : null };
            Reporter reporter = ctx.Reporter(StdoutCarriesData(ctx));
            return CommandRunner.RunAsync(reporter, () => ExecuteAsync(ctx, reporter, ct), ct);
        });
    }

    /// <summary>The options several commands take (a command adds the ones it uses).</summary>
    protected SharedOptions Shared { get; }

    /// <summary>The process's streams (or a test's).</summary>
    protected ConsoleIo Io { get; }

    /// <summary>True when stdout carries the peer's data: status and JSON events then go to stderr.</summary>
    protected virtual bool StdoutCarriesData(CommandContext ctx) => false;

    /// <summary>Runs the command; its result is the exit code (failures throw NsockException, which the runner maps).</summary>
    protected abstract Task<int> ExecuteAsync(CommandContext ctx, Reporter reporter, CancellationToken ct);
}
