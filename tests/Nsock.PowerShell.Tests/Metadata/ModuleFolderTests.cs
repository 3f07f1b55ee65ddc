using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace Nsock.PowerShell.Tests;

/// <summary>
/// The folder scripts/build assembles, as Import-Module ./artifacts/module/nsock will see it: the manifest, the loader
/// (nsock.psm1), the format views and the help at the top, and one build of the cmdlets and the engine per edition
/// below it (core/ for PowerShell 7.4+, desktop/ for Windows PowerShell 5.1).
/// </summary>
public sealed class ModuleFolderTests
{
    private static string Folder => Repo.BuiltModuleFolder;

    public static TheoryData<string> Editions() => new(Repo.Editions.Select(e => e.Folder));

    private static string TargetFrameworkOf(string edition) => Repo.Editions.Single(e => e.Folder == edition).TargetFramework;

    // What Windows PowerShell 5.1 provides: .NET Framework 4.7.2+ has these (System.Runtime is the facade that
    // System.Runtime.CompilerServices.Unsafe targets); System.Management.Automation is PowerShell itself.
    private static readonly HashSet<string> s_desktopHost = new(StringComparer.OrdinalIgnoreCase)
    {
        "netstandard", "mscorlib", "System", "System.Core", "System.Runtime", "System.Management.Automation",
    };

    // What PowerShell 7.4+ provides: the shared framework (read here from the one running the tests, a superset of .NET 8's)
    // and System.Management.Automation.
    private static readonly HashSet<string> s_coreHost = new(
        Directory.GetFiles(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "*.dll").Select(Path.GetFileNameWithoutExtension)!
            .Append("System.Management.Automation")!,
        StringComparer.OrdinalIgnoreCase);

    private static HashSet<string> HostOf(string edition) => edition == "core" ? s_coreHost : s_desktopHost;

    [BuiltModuleFact]
    public void Folder_holds_the_manifest_the_loader_the_formats_and_the_help()
    {
        foreach (string f in new[] { "nsock.psd1", "nsock.psm1", "nsock.format.ps1xml", "en-US/Nsock.PowerShell.dll-Help.xml", "en-US/about_nsock.help.txt" })
            Assert.True(File.Exists(Path.Combine(Folder, f)), f + " is missing from " + Folder);
        Assert.Equal(File.ReadAllText(Repo.ManifestPath), File.ReadAllText(Path.Combine(Folder, "nsock.psd1")));
        Assert.Equal(File.ReadAllText(Repo.LoaderPath), File.ReadAllText(Path.Combine(Folder, "nsock.psm1")));
        // The top holds no assembly: which one loads is the loader's choice, never PowerShell's guess.
        Assert.Empty(Directory.GetFiles(Folder, "*.dll"));
    }

    [BuiltModuleTheory]
    [MemberData(nameof(Editions))]
    public void Each_edition_folder_holds_the_cmdlets_the_engine_and_the_cmdlet_help(string edition)
    {
        string folder = Repo.BuiltEditionFolder(edition);
        foreach (string f in new[] { "Nsock.PowerShell.dll", "Nsock.Core.dll", "en-US/Nsock.PowerShell.dll-Help.xml" })
            Assert.True(File.Exists(Path.Combine(folder, f)), f + " is missing from " + folder);
        // Get-Help looks for a binary module's cmdlet help beside its assembly as well as in the module's base: the
        // same file in both places, whichever one the edition's PowerShell reads.
        Assert.Equal(File.ReadAllText(Repo.HelpPath), File.ReadAllText(Path.Combine(folder, "en-US", "Nsock.PowerShell.dll-Help.xml")));
        Assert.Equal(File.ReadAllText(Repo.HelpPath), File.ReadAllText(Path.Combine(Folder, "en-US", "Nsock.PowerShell.dll-Help.xml")));
    }

    [BuiltModuleTheory]
    [MemberData(nameof(Editions))]
    public void Each_edition_s_cmdlets_and_engine_are_built_for_it(string edition)
    {
        foreach (string dll in new[] { "Nsock.PowerShell.dll", "Nsock.Core.dll" })
        {
            using var md = new Metadata(Path.Combine(Repo.BuiltEditionFolder(edition), dll));
            Assert.Equal(TargetFrameworkOf(edition), md.TargetFramework);
        }
        if (edition == "desktop")
        {
            // netstandard2.0 exactly: what .NET Framework 4.7.2 implements.
            using var md = new Metadata(Path.Combine(Repo.BuiltEditionFolder(edition), "Nsock.PowerShell.dll"));
            Assert.Contains(md.References(), r => r.Name == "netstandard" && r.Version == new Version(2, 0, 0, 0));
        }
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
        Assert.Empty(Directory.GetFiles(Folder, "System.Management.Automation.dll", SearchOption.AllDirectories));

    [BuiltModuleTheory]
    [MemberData(nameof(Editions))]
    public void Every_assembly_an_edition_needs_is_in_its_folder_at_the_version_asked_or_later(string edition)
    {
        string folder = Repo.BuiltEditionFolder(edition);
        var present = Directory.GetFiles(folder, "*.dll").ToDictionary(f => Path.GetFileNameWithoutExtension(f)!, f =>
        {
            using var md = new Metadata(f);
            return md.Version;
        }, StringComparer.OrdinalIgnoreCase);
        foreach (string dll in Directory.GetFiles(folder, "*.dll"))
        {
            using var md = new Metadata(dll);
            foreach ((string name, Version version) in md.References())
            {
                if (HostOf(edition).Contains(name)) continue;
                Assert.True(present.TryGetValue(name, out Version? have), $"{edition}/{Path.GetFileName(dll)} needs {name} {version}, which is not in {folder}");
                Assert.True(have >= version, $"{edition}/{Path.GetFileName(dll)} needs {name} {version}; the folder has {have}");
            }
        }
    }

    [BuiltModuleFact]
    public void The_core_folder_ships_only_what_NET_8_lacks()
    {
        // The netstandard packages (System.Memory & co.) are for .NET Framework; beside the net8.0 build they would
        // only shadow the runtime's own.
        string folder = Repo.BuiltEditionFolder("core");
        var needed = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Nsock.PowerShell" };
        foreach (string dll in Directory.GetFiles(folder, "*.dll"))
        {
            using var md = new Metadata(dll);
            foreach ((string name, _) in md.References()) needed.Add(name);
        }
        foreach (string dll in Directory.GetFiles(folder, "*.dll"))
            Assert.True(needed.Contains(Path.GetFileNameWithoutExtension(dll)), $"core/{Path.GetFileName(dll)} is shipped but nothing in core/ references it");
        Assert.DoesNotContain(Directory.GetFiles(folder, "*.dll"), f => s_coreHost.Contains(Path.GetFileNameWithoutExtension(f)));
    }

    [BuiltModuleFact]
    public void Only_Windows_PowerShell_gets_the_module_initializer_that_resolves_mismatched_dependency_versions()
    {
        // .NET Framework binds strong names exactly and has no binding redirects for a module's own dependencies:
        // where a reference asks for an older version than the folder has, ModuleInitializer resolves it. PowerShell 7
        // needs none, and its build has none to register.
        using (var desktop = new Metadata(Path.Combine(Repo.BuiltEditionFolder("desktop"), "Nsock.PowerShell.dll")))
            Assert.Contains(desktop.Types(), t => t.Name == "Nsock.PowerShell.ModuleInitializer");
        using var core = new Metadata(Path.Combine(Repo.BuiltEditionFolder("core"), "Nsock.PowerShell.dll"));
        Assert.DoesNotContain(core.Types(), t => t.Name == "Nsock.PowerShell.ModuleInitializer");
    }

    [BuiltModuleTheory]
    [MemberData(nameof(Editions))]
    public void Each_edition_declares_the_same_cmdlets_and_parameters_as_the_build_under_test(string edition)
    {
        using var built = new Metadata(Path.Combine(Repo.BuiltEditionFolder(edition), "Nsock.PowerShell.dll"));
        IReadOnlyList<CmdletModel> cmdlets = CmdletModel.Read(built);
        Assert.True(cmdlets.Select(c => c.Name).SequenceEqual(ModuleUnderTest.Cmdlets.Select(c => c.Name)),
            "artifacts/module is older than the source: run 'bash scripts/build --module-only'");
        foreach (CmdletModel c in cmdlets)
        {
            Assert.True(c.Parameters.Select(p => p.Name).SequenceEqual(ModuleUnderTest.Cmdlet(c.Name).Parameters.Select(p => p.Name)),
                $"{edition}: {c.Name}'s parameters differ from the source's: run 'bash scripts/build --module-only'");
        }
    }
}
