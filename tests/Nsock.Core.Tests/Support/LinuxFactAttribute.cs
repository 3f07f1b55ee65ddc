using System;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>A fact about nsock's own Linux system calls; skipped elsewhere, saying so.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "needs Linux (nsock's raw system calls)";
    }
}
