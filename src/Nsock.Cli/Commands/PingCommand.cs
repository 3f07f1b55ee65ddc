using System;
using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary><c>nsock ping</c>: UDP echo probes matched by sequence number, or TCP connect time, with full statistics.</summary>
internal sealed class PingCommand : NsockCommand
{
    private readonly Argument<string> _endpoint = new("endpoint") { Description = "host:port of a UDP echo responder (nsock listen --udp --echo), or any TCP port with --tcp" };
    private readonly Option<bool> _tcp = new("--tcp") { Description = "Measure TCP connect time instead of UDP echo round trips" };
    private readonly Option<int> _count = new("--count", "-c") { Description = "Probes to send", DefaultValueFactory = _ => new PingOptions().Count };
    private readonly Option<double> _interval = new("--interval", "-i") { Description = "Seconds between probes; 0 sends the next as soon as the previous is answered or lost", DefaultValueFactory = _ => new PingOptions().Interval.TotalSeconds };
    private readonly Option<int> _size = new("--size", "-s") { Description = $"UDP payload bytes per probe, 12-{PingOptions.MaxUdpPayload} (12 are the matching header)", DefaultValueFactory = _ => new PingOptions().Size };
    private readonly Option<string?> _payload = new("--payload") { Description = @"Bytes after the header, repeated to fill --size: text with escapes (\n \xHH), or hex:0a1b2c" };
    private readonly Option<int> _warmup = new("--warmup") { Description = "Probes sent first and not counted" };

    public PingCommand(GlobalOptions global, SharedOptions shared, ConsoleIo io)
        : base("ping", "Ping a port: UDP echo probes (default) or TCP connect time", global, shared, io)
    {
        Add(_endpoint);
        Add(_tcp);
        Add(_count);
        Add(_interval);
        Add(_size);
        Add(_payload);
        Add(_warmup);
        Add(Shared.SourceLongOnly);
        Shared.AddTls(this);
        Add(Shared.Proxy);
    }

    protected override async Task<int> ExecuteAsync(CommandContext ctx, Reporter reporter, CancellationToken ct)
    {
        bool isTcp = ctx.Get(_tcp);
        var request = new PingRequest
        {
            Target = Shared.WithTls(ctx, ctx.Target(ctx.Get(_endpoint)!) with { Source = ctx.Get(Shared.SourceLongOnly) }),
            Tcp = isTcp,
            Count = ctx.Get(_count),
            Interval = ctx.Get(_interval),
            // Without --size a payload makes probes just big enough to carry it once (the request's rule).
            Size = ctx.Given(_size) ? ctx.Get(_size) : null,
            Payload = ctx.Get(_payload) is string p ? DecodePayload(p) : null,
            Warmup = ctx.Get(_warmup),
        };
        PingPlan plan = request.Validate(CommandNames.Instance);
        PingOptions options = plan.Options;
        reporter.WarnIfInsecure(request.Target.Insecure);
        bool tls = request.Target.Tls || ctx.Get(_endpoint)!.StartsWith("tls://", StringComparison.OrdinalIgnoreCase);
        if (!reporter.Json) Io.Out.WriteLine(isTcp ? $"PING {options.Endpoint} (TCP connect{(tls ? " and TLS handshake" : "")})" : $"PING {options.Endpoint}: {options.Size} bytes per probe");
        PingOutcome outcome = await plan.RunAsync(reporter, ct).ConfigureAwait(false);
        reporter.Emit(outcome.Summary);
        if (ct.IsCancellationRequested) return Signals.CancelledExitCode;
        // The summary says what happened; no reply at all is exit 3 (refused) or 4 (lost), without a message.
        return outcome.Error is NsockException none ? ExitCodes.For(none.Kind) : ExitCodes.Success;
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
