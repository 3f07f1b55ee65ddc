using System.CommandLine;
using System.Globalization;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary>The options every command takes. Declared once on the root command, recursive to every subcommand.</summary>
internal sealed class GlobalOptions
{
    public const double DefaultTimeoutSeconds = 10;

    public Option<double> Timeout { get; } = new("--timeout", "-w")
    {
        Description = "Seconds allowed for a connect, and for waiting on a silent peer once there is nothing left to send (0: never time out)",
        DefaultValueFactory = _ => DefaultTimeoutSeconds,
        Recursive = true,
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Report connections and transfers on stderr", Recursive = true };

    public Option<bool> Json { get; } = new("--json") { Description = "Events and results as JSON lines (on stderr when stdout carries data)", Recursive = true };

    public Option<bool> IPv4 { get; } = new("-4") { Description = "Use IPv4 only", Recursive = true };

    public Option<bool> IPv6 { get; } = new("-6") { Description = "Use IPv6 only", Recursive = true };

    public GlobalOptions()
    {
        Timeout.Validators.Add(r =>
        {
            // A value that is not a number is reported by the parser itself; reading it here would throw.
            if (r.Tokens.Count > 0 && !double.TryParse(r.Tokens[r.Tokens.Count - 1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return;
            double v = r.GetValueOrDefault<double>();
            if (ConnectTarget.SecondsProblem(v, "--timeout") is string problem) r.AddError(problem);
        });
    }

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Timeout);
        root.Options.Add(Verbose);
        root.Options.Add(Json);
        root.Options.Add(IPv4);
        root.Options.Add(IPv6);
    }
}
