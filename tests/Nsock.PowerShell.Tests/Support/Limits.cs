using System;

namespace Nsock.PowerShell.Tests;

/// <summary>Bounds on every wait, so a hang fails fast instead of stalling the run.</summary>
internal static class Limits
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
}
