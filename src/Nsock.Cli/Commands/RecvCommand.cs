using System;
using System.CommandLine;
using System.IO;
using System.Threading.Tasks;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary><c>nsock recv</c>: connect and read until end of stream, a byte count, a delimiter or the timeout.</summary>
internal static class RecvCommand
{
    public static Command Create(GlobalOptions global, ConsoleIo io)
    {
        var endpoint = new Argument<string>("endpoint") { Description = "host:port, [v6addr]:port or unix:/path (a stream: tcp or unix)" };
        var bytes = new Option<long?>("--bytes", "-c") { Description = "Stop after this many bytes" };
        var until = new Option<string?>("--until") { Description = @"Stop after this delimiter (written too); escapes \n \r \t \0 \\ \xHH" };
        var outFile = new Option<FileInfo?>("--out", "-o") { Description = "Write to this file (it appears only when complete; a partial stays as FILE.partial)" };
        var hex = new Option<bool>("--hex", "-x") { Description = "Print a hex dump instead of raw bytes" };

        var command = new Command("recv", "Connect and read until EOF, --bytes, --until or --timeout") { endpoint, bytes, until, outFile, hex };
        command.SetAction((parse, ct) =>
        {
            var ctx = new CommandContext(parse, global, io);
            FileInfo? target = ctx.Get(outFile);
            Reporter reporter = ctx.Reporter(stdoutCarriesData: target is null);
            return CommandRunner.RunAsync(reporter, async () =>
            {
                var request = new ReceiveRequest
                {
                    Target = ctx.Target(ctx.Get(endpoint)!),
                    ByteLimit = ctx.Get(bytes),
                    Until = ctx.Get(until) is string u ? Escapes.Decode(u, "--until") : null,
                };
                ReceivePlan plan = request.Validate(CommandNames.Instance);

                using AtomicFile? sink = target is null ? null : new AtomicFile(target.FullName);
                Stream output = sink?.Stream ?? io.StdOut;
                using HexDumpStream? dump = ctx.Get(hex) ? new HexDumpStream(output) : null;
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
            }, ct);
        });
        return command;
    }
}
