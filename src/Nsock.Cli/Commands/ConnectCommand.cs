using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary><c>nsock connect</c>: stdin to the socket, the socket to stdout, like <c>nc host port</c>.</summary>
internal sealed class ConnectCommand : NsockCommand
{
    private readonly Option<double?> _waitAfterEof = new("--wait-after-eof", "-q") { Description = "After stdin ends, exit at most this many seconds later even if the peer stays open" };

    private readonly Option<string?> _exec = new("--exec", "-e") { Description = "Once connected, run this program with its stdin and stdout as the connection (no shell); see the README's warning" };
    private readonly Option<string?> _shExec = new("--sh-exec", "-c") { Description = "Once connected, run this command line through /bin/sh -c (cmd.exe /c on Windows)" };

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
        Add(Shared.Proxy);
        Add(Shared.Crlf);
        Add(Shared.Delay);
        Add(Shared.HexDump);
        Add(Shared.Output);
        Add(_exec);
        Add(_shExec);
        Shared.AddTls(this);
    }

    protected override bool StdoutCarriesData(CommandContext ctx) => ctx.Get(_exec) is null && ctx.Get(_shExec) is null;

    protected override async Task<int> ExecuteAsync(CommandContext ctx, Reporter reporter, CancellationToken ct)
    {
        var request = new ConnectRequest
        {
            Target = Shared.WithTls(ctx, ctx.Target(ctx.Get(Shared.Peer)!, ctx.Get(Shared.Udp)) with { Source = ctx.Get(Shared.Source) }),
            Crlf = ctx.Get(Shared.Crlf),
            Delay = ctx.Get(Shared.Delay),
            HexDumpPath = ctx.Get(Shared.HexDump),
            OutputPath = ctx.Get(Shared.Output),
            SendOnly = ctx.Get(Shared.SendOnly),
            ReceiveOnly = ctx.Get(Shared.RecvOnly),
            NoShutdown = ctx.Get(Shared.NoShutdown),
            WaitAfterInputEnds = ctx.Get(_waitAfterEof),
            InteractiveInput = Io.StdInIsTerminal,
            Exec = ctx.Get(_exec),
            ShExec = ctx.Get(_shExec),
        };
        ConnectPlan plan = request.Validate(CommandNames.Instance);
        reporter.WarnIfInsecure(request.Target.Insecure);
        RelayResult r = await plan.RunAsync(Io.StdIn, Io.StdOut, reporter, ct).ConfigureAwait(false);
        return r.Error is null ? ExitCodes.Success : CommandRunner.Fail(reporter, r.Error);
    }
}
