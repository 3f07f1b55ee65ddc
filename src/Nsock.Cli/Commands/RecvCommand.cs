using System;
using System.CommandLine;
using System.IO;
using System.Net.Sockets;
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
                Endpoint ep = CommandContext.Endpoint(ctx.Get(endpoint)!, udp: false);
                if (ep.Transport == Transport.Udp)
                    throw new NsockException(NsockErrorKind.BadInput, "recv reads a stream (tcp or unix); for UDP use 'nsock send --udp --reply' or 'nsock listen --udp'");
                Connector.ValidateForConnect(ep);
                if (ctx.Get(bytes) is < 0) throw new NsockException(NsockErrorKind.BadInput, $"--bytes must be 0 or more, not {ctx.Get(bytes)}");
                var options = new ReceiveOptions
                {
                    MaxBytes = ctx.Get(bytes),
                    Until = ctx.Get(until) is string u ? Escapes.Decode(u, "--until") : null,
                    IdleTimeout = ctx.Timeout,
                };

                using AtomicFile? sink = target is null ? null : new AtomicFile(target.FullName);
                Stream output = sink?.Stream ?? io.StdOut;
                using HexDumpStream? dump = ctx.Get(hex) ? new HexDumpStream(output) : null;

                using Socket socket = await Connector.ConnectAsync(ep, ctx.ConnectOptions, ct).ConfigureAwait(false);
                reporter.Emit(Connected.To(ep, socket));
                ReceiveResult result = await Receiver.ReceiveAsync(socket, (Stream?)dump ?? output, options, ct).ConfigureAwait(false);
                dump?.Flush();
                reporter.Emit(result);

                bool asked = options.MaxBytes is not null || options.Until is not null;
                if (result.End == ReceiveEnd.IdleTimeout)
                {
                    sink?.KeepPartial();
                    string what = asked ? (options.Until is not null ? "the delimiter" : $"{options.MaxBytes} bytes") : "the peer to close";
                    throw new NsockException(NsockErrorKind.TimedOut, $"timed out after {ctx.Timeout!.Value.TotalSeconds:0.###}s of silence waiting for {what} ({result.Bytes} bytes received)");
                }
                if (result.End == ReceiveEnd.PeerClosed && asked)
                {
                    sink?.KeepPartial();
                    throw new NsockException(NsockErrorKind.Io, $"the peer closed after {result.Bytes} bytes, before {(options.Until is not null ? "the delimiter arrived" : $"{options.MaxBytes} bytes")}");
                }
                sink?.Commit();
                return ExitCodes.Success;
            }, ct);
        });
        return command;
    }
}
