using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace Nsock.PowerShell.Tests;

/// <summary>The folder scripts/build assembles, as Import-Module ./artifacts/module/nsock will see it.</summary>
public sealed class ModuleFolderTests
{
    private static string Folder => Repo.BuiltModuleFolder;

    // What the host provides: .NET Framework 4.7.2+ and .NET 8 both have these (System.Runtime is the facade that
    // System.Runtime.CompilerServices.Unsafe targets); System.Management.Automation is PowerShell itself.
    private static readonly HashSet<string> s_host = new(StringComparer.OrdinalIgnoreCase)
    {
        "netstandard", "mscorlib", "System", "System.Core", "System.Runtime", "System.Management.Automation",
    };

    [BuiltModuleFact]
    public void Folder_holds_the_manifest_the_assemblies_the_formats_and_the_help()
    {
        foreach (string f in new[] { "nsock.psd1", "nsock.format.ps1xml", "Nsock.PowerShell.dll", "Nsock.Core.dll", "en-US/Nsock.PowerShell.dll-Help.xml", "en-US/about_nsock.help.txt" })
            Assert.True(File.Exists(Path.Combine(Folder, f)), f + " is missing from " + Folder);
        Assert.Equal(File.ReadAllText(Repo.ManifestPath), File.ReadAllText(Path.Combine(Folder, "nsock.psd1")));
    }

    [BuiltModuleFact]
    public void Folder_is_where_Import_Module_looks_for_the_version()
    {
        // Import-Module ./artifacts/module/nsock picks the highest version folder whose manifest has that version.
        Assert.Equal(Repo.Version, new DirectoryInfo(Folder).Name);
        Assert.Equal("nsock", new DirectoryInfo(Folder).Parent!.Name);
    }

    [BuiltModuleFact]
    public void The_host_s_System_Management_Automation_is_not_shipped() =>
        Assert.False(File.Exists(Path.Combine(Folder, "System.Management.Automation.dll")));

    [BuiltModuleFact]
    public void Every_assembly_the_module_needs_is_in_the_folder_at_the_version_asked_or_later()
    {
        var present = Directory.GetFiles(Folder, "*.dll").ToDictionary(f => Path.GetFileNameWithoutExtension(f)!, f =>
        {
            using var md = new Metadata(f);
            return md.Version;
        }, StringComparer.OrdinalIgnoreCase);
        foreach (string dll in Directory.GetFiles(Folder, "*.dll"))
        {
            using var md = new Metadata(dll);
            foreach ((string name, Version version) in md.References())
            {
                if (s_host.Contains(name)) continue;
                Assert.True(present.TryGetValue(name, out Version? have), $"{Path.GetFileName(dll)} needs {name} {version}, which is not in the module folder");
                Assert.True(have >= version, $"{Path.GetFileName(dll)} needs {name} {version}; the folder has {have}");
            }
        }
    }

    [BuiltModuleFact]
    public void Windows_PowerShell_finds_mismatched_dependency_versions_through_the_module_initializer()
    {
        // .NET Framework binds strong names exactly and has no binding redirects for a module's own dependencies:
        // where a reference asks for an older version than the folder has, ModuleInitializer resolves it.
        using var md = new Metadata(Path.Combine(Folder, "Nsock.PowerShell.dll"));
        Assert.Contains(md.Types(), t => t.Name == "Nsock.PowerShell.ModuleInitializer");
    }

    [BuiltModuleFact]
    public void Built_assembly_declares_the_same_cmdlets_as_the_one_under_test()
    {
        using var built = new Metadata(Path.Combine(Folder, "Nsock.PowerShell.dll"));
        Assert.True(CmdletModel.Read(built).Select(c => c.Name).SequenceEqual(ModuleUnderTest.Cmdlets.Select(c => c.Name)),
            "artifacts/module is older than the source: run 'bash scripts/build --no-demo'");
    }

    [BuiltModuleFact]
    public void The_module_targets_netstandard2_0_so_one_build_loads_in_both_editions()
    {
        using var md = new Metadata(Path.Combine(Folder, "Nsock.PowerShell.dll"));
        Assert.Contains(md.References(), r => r.Name == "netstandard" && r.Version == new Version(2, 0, 0, 0));
        using var core = new Metadata(Path.Combine(Folder, "Nsock.Core.dll"));
        Assert.Contains(core.References(), r => r.Name == "netstandard");
    }
}
