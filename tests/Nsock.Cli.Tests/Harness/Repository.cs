using System;
using System.IO;

namespace Nsock.Cli.Tests;

/// <summary>The checkout these tests run from: the folder holding tool.nuspec, above the test binaries.</summary>
internal static class Repository
{
    private static readonly Lazy<string> s_root = new(() =>
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "tool.nuspec"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no tool.nuspec above {AppContext.BaseDirectory}: the tests run from a checkout of nsock");
    });

    public static string Root => s_root.Value;
}
