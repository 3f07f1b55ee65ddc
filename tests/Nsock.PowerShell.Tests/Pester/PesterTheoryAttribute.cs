using Xunit;

namespace Nsock.PowerShell.Tests;

/// <summary>The Pester tests as xunit rows; skipped, saying why, only where there is no pwsh with Pester 5.</summary>
public sealed class PesterTheoryAttribute : TheoryAttribute
{
    public PesterTheoryAttribute()
    {
        if (PesterRun.Unavailable is string why) Skip = why;
    }
}
