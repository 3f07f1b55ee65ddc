using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary><c>nsock connect</c>: stdin to the socket, the socket to stdout, like <c>nc host port</c>.</summary>
internal sealed class ConnectCommand : NsockCommand
{
    private readonly Option<double?> _waitAfterEof = new("--wait-after-eof", "-q") { Description = "After stdin ends, exit at most this many seconds later even if the peer stays open" };

    public ConnectCommand(GlobalOptions global, SharedOptions shared, ConsoleIo io)
        : base("connect", "Connect and relay stdin/stdout (nc host port)", global, shared, io)
    {
        Add(Shared.Peer);
        Add(Shared.Udp);
        Add(Shared.SendOnly);
        Add(Shared.RecvOnly);
        Add(Shared.NoShutdown);
        Add(_waitAfterEof);
        Add(Shared.Source);
        Add(Shared.Crlf);
        Add(Shared.Delay);
        Add(Shared.HexDump);
        Add(Shared.Output);
    }

    protected override bool StdoutCarriesData(CommandContext ctx) => true;

    protected override async Task<int> ExecuteAsync(CommandContext ctx, Reporter reporter, CancellationToken ct)
    {
        var request = new ConnectRequest
        {
            Target = ctx.Target(ctx.Get(Shared.Peer)!, ctx.Get(Shared.Udp)) with { Source = ctx.Get(Shared.Source) },
            Crlf = ctx.Get(Shared.Crlf),
            Delay = ctx.Get(Shared.Delay),
            HexDumpPath = ctx.Get(Shared.HexDump),
            OutputPath = ctx.Get(Shared.Output),
            SendOnly = ctx.Get(Shared.SendOnly),
            ReceiveOnly = ctx.Get(Shared.RecvOnly),
            NoShutdown = ctx.Get(Shared.NoShutdown),
            WaitAfterInputEnds = ctx.Get(_waitAfterEof),
            InteractiveInput = Io.StdInIsTerminal,
        };
        ConnectPlan plan = request.Validate(CommandNames.Instance);
        RelayResult r = await plan.RunAsync(Io.StdIn, Io.StdOut, reporter, ct).ConfigureAwait(false);
        return r.Error is null ? ExitCodes.Success : CommandRunner.Fail(reporter, r.Error);
    }
}
