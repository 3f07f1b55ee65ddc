using System.CommandLine;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary><c>nsock recv</c>: connect and read until end of stream, a byte count, a delimiter or the timeout.</summary>
internal sealed class RecvCommand : NsockCommand
{
    private readonly Argument<string> _endpoint = new("endpoint") { Description = "host:port, [v6addr]:port or unix:/path (a stream: tcp or unix)" };
    private readonly Option<long?> _bytes = new("--bytes", "-c") { Description = "Stop after this many bytes" };
    private readonly Option<string?> _until = new("--until") { Description = @"Stop after this delimiter (written too); escapes \n \r \t \0 \\ \xHH" };
    private readonly Option<FileInfo?> _outFile = new("--out", "-o") { Description = "Write to this file (it appears only when complete; a partial stays as FILE.partial)" };
    private readonly Option<bool> _hex = new("--hex", "-x") { Description = "Print a hex dump instead of raw bytes" };

    public RecvCommand(GlobalOptions global, SharedOptions shared, ConsoleIo io)
        : base("recv", "Connect and read until EOF, --bytes, --until or --timeout", global, shared, io)
    {
        Add(_endpoint);
        Add(_bytes);
        Add(_until);
        Add(_outFile);
        Add(_hex);
        Add(Shared.Source);
        Shared.AddTls(this);
        Add(Shared.Proxy);
    }

    protected override bool StdoutCarriesData(CommandContext ctx) => ctx.Get(_outFile) is null;

    protected override async Task<int> ExecuteAsync(CommandContext ctx, Reporter reporter, CancellationToken ct)
    {
        var request = new ReceiveRequest
        {
            Target = Shared.WithTls(ctx, ctx.Target(ctx.Get(_endpoint)!) with { Source = ctx.Get(Shared.Source) }),
            ByteLimit = ctx.Get(_bytes),
            Until = ctx.Get(_until) is string u ? Escapes.Decode(u, "--until") : null,
        };
        ReceivePlan plan = request.Validate(CommandNames.Instance);
        reporter.WarnIfInsecure(request.Target.Insecure);

        FileInfo? target = ctx.Get(_outFile);
        using AtomicFile? sink = target is null ? null : new AtomicFile(target.FullName);
        Stream output = sink?.Stream ?? Io.StdOut;
        using HexDumpStream? dump = ctx.Get(_hex) ? new HexDumpStream(output) : null;
        ReceiveOutcome outcome = await plan.RunAsync((Stream?)dump ?? output, reporter, ct).ConfigureAwait(false);
        dump?.Flush();
        reporter.Emit(outcome.Result);
        if (outcome.Error is NsockException error)
        {
            sink?.KeepPartial();
            throw error;
        }
        sink?.Commit();
        return ExitCodes.Success;
    }
}
