using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace Nsock.PowerShell.Tests;

public sealed class ManifestTests
{
    private static Dictionary<string, object?> Manifest() => (Dictionary<string, object?>)Psd1Reader.Parse(File.ReadAllText(Repo.ManifestPath))!;

    private static IReadOnlyList<string> List(Dictionary<string, object?> m, string key) => m[key] switch
    {
        List<object?> items => items.Select(i => (string)i!).ToList(),
        string one => new[] { one },
        var other => throw new InvalidOperationException($"{key} is {other?.GetType().Name ?? "null"}, not a list"),
    };

    [Fact]
    public void Manifest_parses_as_a_PowerShell_data_file() => Assert.NotEmpty(Manifest());

    [Fact]
    public void Manifest_loads_the_loader_that_imports_the_edition_s_build_as_its_root_module()
    {
        Assert.Equal("nsock.psm1", Manifest()["RootModule"]);
        Assert.Equal(Path.GetFileName(Repo.LoaderPath), (string)Manifest()["RootModule"]!);
        Assert.True(File.Exists(Repo.LoaderPath));
    }

    [Fact]
    public void Manifest_states_the_NET_Framework_the_Windows_PowerShell_build_needs() =>
        // The netstandard2.0 build needs .NET Framework 4.7.2 (the first to implement netstandard2.0 without shims).
        // Windows PowerShell only enforces versions it knows (up to 4.5) and PowerShell 7 ignores the key: it states
        // the need, and nsock.psm1 checks it (LoaderTests).
        Assert.Equal("4.7.2", Manifest()["DotNetFrameworkVersion"]);

    [Fact]
    public void Manifest_loads_no_assembly_itself()
    {
        // Which build loads is the loader's choice: an assembly named in the manifest would load in both editions.
        Dictionary<string, object?> m = Manifest();
        foreach (string key in new[] { "RequiredAssemblies", "NestedModules" })
            Assert.True(!m.ContainsKey(key) || List(m, key).Count == 0, key + " would load the same assembly in both editions");
    }

    [Fact]
    public void Module_version_matches_the_build_version_and_the_changelog()
    {
        string version = (string)Manifest()["ModuleVersion"]!;
        Assert.Equal(Repo.Version, version);
        string changelog = File.ReadAllText(Path.Combine(Repo.Root, "CHANGELOG.md"));
        Assert.Equal(version, Regex.Match(changelog, @"^## (\d+\.\d+\.\d+)", RegexOptions.Multiline).Groups[1].Value);
        using var md = new Metadata(Repo.ModuleAssembly);
        Assert.Equal(new Version(version), new Version(md.Version.Major, md.Version.Minor, md.Version.Build));
    }

    [Fact]
    public void Every_exported_cmdlet_is_in_the_assembly_and_every_cmdlet_of_the_assembly_is_exported()
    {
        IReadOnlyList<string> exported = List(Manifest(), "CmdletsToExport");
        Assert.Equal(exported.OrderBy(n => n, StringComparer.Ordinal), ModuleUnderTest.Cmdlets.Select(c => c.Name));
        Assert.Equal(exported.Count, exported.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Theory]
    [InlineData("CmdletsToExport")]
    [InlineData("FunctionsToExport")]
    [InlineData("AliasesToExport")]
    [InlineData("VariablesToExport")]
    public void Nothing_is_exported_by_wildcard(string key)
    {
        Dictionary<string, object?> m = Manifest();
        Assert.True(m.ContainsKey(key), $"{key} is missing: PowerShell would export everything");
        Assert.DoesNotContain(List(m, key), n => n.IndexOfAny(new[] { '*', '?' }) >= 0);
    }

    [Theory]
    [InlineData("FunctionsToExport")]
    [InlineData("AliasesToExport")]
    [InlineData("VariablesToExport")]
    public void A_binary_module_exports_no_functions_aliases_or_variables(string key) => Assert.Empty(List(Manifest(), key));

    [Fact]
    public void Module_is_for_Windows_PowerShell_5_1_and_PowerShell_7()
    {
        Dictionary<string, object?> m = Manifest();
        Assert.Equal(new[] { "Core", "Desktop" }, List(m, "CompatiblePSEditions").OrderBy(e => e, StringComparer.Ordinal));
        Assert.Equal("5.1", m["PowerShellVersion"]);
    }

    [Fact]
    public void Formats_to_process_are_files_of_the_module_folder()
    {
        IReadOnlyList<string> formats = List(Manifest(), "FormatsToProcess");
        Assert.NotEmpty(formats);
        foreach (string f in formats) Assert.True(File.Exists(Path.Combine(Repo.ModuleSources, f)), f + " is not in module/");
    }

    [Fact]
    public void Manifest_has_a_guid_author_and_description()
    {
        Dictionary<string, object?> m = Manifest();
        Assert.True(Guid.TryParse((string)m["GUID"]!, out _));
        Assert.False(string.IsNullOrWhiteSpace((string?)m["Author"]));
        Assert.False(string.IsNullOrWhiteSpace((string?)m["Description"]));
    }
}
