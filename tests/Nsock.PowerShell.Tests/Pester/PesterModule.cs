using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace Nsock.PowerShell.Tests;

/// <summary>The Pester module this project restored (a PackageDownload: its tools/ folder is the module).</summary>
internal static class PesterModule
{
    /// <summary>Path of Pester.psd1, or null when the restore did not bring it.</summary>
    public static string? Path { get; } = Find();

    private static string? Find()
    {
        string? psd1 = typeof(PesterModule).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "PesterModule")?.Value;
        return psd1 is not null && File.Exists(psd1) ? psd1 : null;
    }
}
