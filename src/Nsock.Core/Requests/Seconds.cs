using System;
using System.Globalization;

namespace Nsock.Core;

/// <summary>
/// The one rule for a number of seconds the user gives (a timeout, a wait, an interval): 0 or more, finite, and no
/// more than the runtime's timers hold (<see cref="Max"/>, about 24.8 days: timers and <c>CancelAfter</c> take an
/// <see cref="int"/> of milliseconds). A larger value would overflow <see cref="TimeSpan"/> or a timer deep in a
/// run; here it is bad input named in the front end's spelling.
/// </summary>
internal static class Seconds
{
    /// <summary>The most seconds any wait may be: <see cref="int.MaxValue"/> - 1 milliseconds, whole seconds.</summary>
    public const double Max = 2_147_483;

    /// <summary><paramref name="value"/> when it is 0..<see cref="Max"/>; otherwise bad input naming <paramref name="option"/>.</summary>
    public static double Check(double value, string option)
    {
        if (!InRange(value)) throw NsockException.BadInput(OutOfRange(option, value));
        return value;
    }

    /// <summary>As <see cref="Check(double, string)"/>, passing null through.</summary>
    public static double? Check(double? value, string option) => value is double v ? Check(v, option) : null;

    /// <summary>0..<see cref="Max"/>, finite.</summary>
    public static bool InRange(double value) => value >= 0 && value <= Max;

    /// <summary>The one message for a number of seconds out of range.</summary>
    public static string OutOfRange(string option, double value) =>
        $"{option} must be 0 or a positive number of seconds, at most {Max.ToString(CultureInfo.InvariantCulture)} (about 24 days), not {value.ToString(CultureInfo.InvariantCulture)}";
}
