using System;
using System.Globalization;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// The command's <c>--timeout</c> rules, for <c>-Timeout</c> (seconds): 10 when not given, 0 means never, and a
/// few engine calls use their own default unless the user gave one (ping 2 s, probe 1 s, file answers 60 s).
/// A null argument means the parameter was not given.
/// </summary>
internal static class Timeouts
{
    /// <summary>The command's --timeout default (GlobalOptions.DefaultTimeoutSeconds), also the engine's connect default.</summary>
    public const double DefaultSeconds = 10;

    /// <summary>The value in force: the default when not given, null for 0 ("never"). As CommandContext.Timeout.</summary>
    public static TimeSpan? OrDefault(double? seconds)
    {
        double s = Check(seconds) ?? DefaultSeconds;
        return s == 0 ? null : TimeSpan.FromSeconds(s);
    }

    /// <summary>Only a value the user gave: null when not given, infinite for 0. As CommandContext.ExplicitTimeout.</summary>
    public static TimeSpan? Explicit(double? seconds)
    {
        double? s = Check(seconds);
        if (s is null) return null;
        return s == 0 ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(s.Value);
    }

    /// <summary>A value in force, or infinite when there is none.</summary>
    public static TimeSpan OrInfinite(TimeSpan? t) => t ?? System.Threading.Timeout.InfiniteTimeSpan;

    /// <summary>Connect options as the command builds them: the family, and the timeout (0: the OS's own limit).</summary>
    public static ConnectOptions Connect(double? seconds, IpVersion version) => new() { IpVersion = version, Timeout = OrInfinite(OrDefault(seconds)) };

    /// <summary>Fails with BadInput for a negative, NaN or infinite number of seconds (named <paramref name="name"/>).</summary>
    public static double? Check(double? seconds, string name = "-Timeout")
    {
        if (seconds is double s && (s < 0 || double.IsNaN(s) || double.IsInfinity(s)))
            throw BadInput.Error($"{name} must be 0 or a positive number of seconds, not {s.ToString(CultureInfo.InvariantCulture)}");
        return seconds;
    }
}
