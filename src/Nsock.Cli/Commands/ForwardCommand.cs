using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary><c>nsock forward LISTEN TARGET</c>: every client of LISTEN gets a connection of its own to TARGET, bytes both ways with half-close (socat TCP-LISTEN,fork TCP:target).</summary>
internal sealed class ForwardCommand : NsockCommand
{
    private readonly Argument<string> _listen = new("listen") { Description = "Where to listen: port, :port, host:port, [v6addr]:port or unix:/path; port 0 picks a free port" };
    private readonly Argument<string> _target = new("target") { Description = "Where to forward each client: host:port, [v6addr]:port, unix:/path, udp://host:port (tcp:// for a stream target of a UDP listener), or tls://host:port (TLS to the target, verified)" };

    // The target's TLS (a tls://host:port target), verified as connect --tls verifies. The listening side's TLS takes
    // listen's options (--tls, --cert, --key...), so the certificate sent to the target is --target-cert: never ambiguous.
    private readonly Option<string?> _ca = new("--ca") { HelpName = "FILE", Description = "With a tls:// target: verify it against the CA certificates in this PEM file instead of the system store" };
    private readonly Option<bool> _insecure = new("--insecure") { Description = "With a tls:// target: do not verify its certificate (a warning says so)" };
    private readonly Option<string?> _sni = new("--sni") { HelpName = "NAME", Description = "With a tls:// target: the server name to send and verify (default: the target's host)" };
    private readonly Option<string?> _pin = new("--pin") { HelpName = "sha256:BASE64", Description = "With a tls:// target: accept exactly this key, sha256:BASE64 of its SubjectPublicKeyInfo (several comma-separated; the chain need not verify)" };
    private readonly Option<string?> _alpn = new("--alpn") { HelpName = "PROTOCOLS", Description = "With a tls:// target: the application protocols to offer it, comma-separated in order of preference" };
    private readonly Option<string?> _targetCert = new("--target-cert") { HelpName = "FILE", Description = "With a tls:// target: the certificate to send it (mutual TLS), PEM (key in --target-key or in the same file) or PFX; --cert is the listener's own" };
    private readonly Option<string?> _targetKey = new("--target-key") { HelpName = "FILE", Description = "With --target-cert: its PEM private key" };
    private readonly Option<string?> _targetCertPassword = new("--target-cert-password") { HelpName = "PASSWORD", Description = "With --target-cert: the PFX password or an encrypted PEM key's (or set NSOCK_TARGET_CERT_PASSWORD, which other users cannot see in the process list)" };

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
        Shared.AddListenerTls(this);
        Add(_ca);
        Add(_insecure);
        Add(_sni);
        Add(_pin);
        Add(_alpn);
        Add(_targetCert);
        Add(_targetKey);
        Add(_targetCertPassword);
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
            TargetCaFile = ctx.Get(_ca),
            TargetInsecure = ctx.Get(_insecure),
            TargetSni = ctx.Get(_sni),
            TargetPin = ctx.Get(_pin),
            TargetAlpn = ctx.Get(_alpn),
            TargetCertificatePath = ctx.Get(_targetCert),
            TargetKeyPath = ctx.Get(_targetKey),
            // As --cert's NSOCK_CERT_PASSWORD, a variable of its own: the listener's and the target's certificates may differ.
            TargetCertificatePassword = ctx.Get(_targetCertPassword) ?? (ctx.Get(_targetCert) is null ? null : System.Environment.GetEnvironmentVariable("NSOCK_TARGET_CERT_PASSWORD") is { Length: > 0 } p ? p : null),
        };
        request = Shared.WithListenerTls(ctx, request);
        ListenPlan plan = request.Validate(CommandNames.Instance);
        if (request.TargetInsecure) reporter.Warn("warning: --insecure: the target's certificate is not verified");
        using Listener listener = await plan.BindAsync(ct).ConfigureAwait(false);
        // SIGUSR1 asks for a report now; registered before the listener is ready, so a signal sent once it is cannot kill the process.
        using System.IDisposable? onUser1 = request.Statistics ? Signals.OnUser1(listener.ReportStatistics) : null;
        await listener.RunAsync(null, null, reporter, ct).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
