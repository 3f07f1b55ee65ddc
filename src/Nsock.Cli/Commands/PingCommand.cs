using System;
using System.CommandLine;
using System.Text;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary><c>nsock ping</c>: UDP echo probes matched by sequence number, or TCP connect time, with full statistics.</summary>
internal static class PingCommand
{
    public static Command Create(GlobalOptions global, ConsoleIo io)
    {
        var endpoint = new Argument<string>("endpoint") { Description = "host:port of a UDP echo responder (nsock listen --udp --echo), or any TCP port with --tcp" };
        var tcp = new Option<bool>("--tcp") { Description = "Measure TCP connect time instead of UDP echo round trips" };
        var count = new Option<int>("--count", "-c") { Description = "Probes to send", DefaultValueFactory = _ => new PingOptions().Count };
        var interval = new Option<double>("--interval", "-i") { Description = "Seconds between probes; 0 sends the next as soon as the previous is answered or lost", DefaultValueFactory = _ => new PingOptions().Interval.TotalSeconds };
        var size = new Option<int>("--size", "-s") { Description = $"UDP payload bytes per probe, 12-{PingOptions.MaxUdpPayload} (12 are the matching header)", DefaultValueFactory = _ => new PingOptions().Size };
        var payload = new Option<string?>("--payload") { Description = @"Bytes after the header, repeated to fill --size: text with escapes (\n \xHH), or hex:0a1b2c" };
        var warmup = new Option<int>("--warmup") { Description = "Probes sent first and not counted" };

        var command = new Command("ping", "Ping a port: UDP echo probes (default) or TCP connect time") { endpoint, tcp, count, interval, size, payload, warmup };
        command.SetAction((parse, ct) =>
        {
            var ctx = new CommandContext(parse, global, io);
            Reporter reporter = ctx.Reporter(stdoutCarriesData: false);
            return CommandRunner.RunAsync(reporter, async () =>
            {
                bool isTcp = ctx.Get(tcp);
                var request = new PingRequest
                {
                    Target = ctx.Target(ctx.Get(endpoint)!),
                    Tcp = isTcp,
                    Count = ctx.Get(count),
                    Interval = ctx.Get(interval),
                    // Without --size a payload makes probes just big enough to carry it once (the request's rule).
                    Size = parse.GetResult(size) is { Implicit: false } ? ctx.Get(size) : null,
                    Payload = ctx.Get(payload) is string p ? DecodePayload(p) : null,
                    Warmup = ctx.Get(warmup),
                };
                PingPlan plan = request.Validate(CommandNames.Instance);
                PingOptions options = plan.Options;
                Endpoint ep = options.Endpoint;
                if (!reporter.Json) io.Out.WriteLine(isTcp ? $"PING {ep} (TCP connect)" : $"PING {ep}: {options.Size} bytes per probe");
                PingOutcome outcome = await plan.RunAsync(reporter, ct).ConfigureAwait(false);
                reporter.Emit(outcome.Summary);
                if (ct.IsCancellationRequested) return Signals.CancelledExitCode;
                // The summary says what happened; no reply at all is exit 3 (refused) or 4 (lost), without a message.
                return outcome.Error is NsockException none ? ExitCodes.For(none.Kind) : ExitCodes.Success;
            }, ct);
        });
        return command;
    }

    private static byte[] DecodePayload(string text)
    {
        if (!text.StartsWith("hex:", StringComparison.OrdinalIgnoreCase)) return Escapes.Decode(text, "--payload");
        string hex = text.Substring(4).Replace(" ", "");
        if (hex.Length == 0 || hex.Length % 2 != 0) throw new NsockException(NsockErrorKind.BadInput, $"--payload hex:{hex} needs an even, non-zero number of hex digits");
        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw new NsockException(NsockErrorKind.BadInput, $"--payload hex:{hex} has a character that is not a hex digit");
        }
    }
}
