using System.Collections.Generic;
using System.IO;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>
/// Rules the native binary's size depends on, kept by a test so a later change does not quietly undo them
/// (the figures: the size comment in src/Nsock.Cli/Nsock.Cli.csproj).
/// </summary>
public sealed class BinarySizeRulesTests
{
    // Each LINQ query over an element type of its own compiles its own iterators into the AOT binary: taking LINQ out
    // of nsock's 17 files that used it saved 0.23 MB. A loop says the same.
    [Fact]
    public void Nsock_s_own_code_does_not_use_LINQ()
    {
        List<string> offenders = FilesContaining(new[] { "src/Nsock.Core", "src/Nsock.Cli" }, "System.Linq");
        Assert.True(offenders.Count == 0, "LINQ in: " + string.Join(", ", offenders));
    }

    // System.Text.Json's serializer cost the binary 1.14 MB; --json is written with Utf8JsonWriter (JsonEventWriter).
    [Fact]
    public void The_command_does_not_use_the_JSON_serializer()
    {
        List<string> offenders = FilesContaining(new[] { "src/Nsock.Cli" }, "JsonSerializer");
        Assert.True(offenders.Count == 0, "the JSON serializer in: " + string.Join(", ", offenders));
    }

    // The C# files of these projects (not their obj/ folders) whose text contains what.
    private static List<string> FilesContaining(string[] projects, string what)
    {
        var found = new List<string>();
        string obj = $"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}";
        foreach (string project in projects)
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(Repository.Root, project), "*.cs", SearchOption.AllDirectories))
            {
                if (!file.Contains(obj) && File.ReadAllText(file).Contains(what)) found.Add(Path.GetRelativePath(Repository.Root, file));
            }
        }
        return found;
    }
}
