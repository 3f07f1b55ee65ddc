using System;
using System.IO;
using System.Text.RegularExpressions;

namespace Nsock.PowerShell.Tests;

/// <summary>Where things are: the repository root (the folder with tool.nuspec), its module sources and build output.</summary>
internal static class Repo
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    public static string Root => s_root.Value;

    public static string ModuleSources => Path.Combine(Root, "module");

    public static string ManifestPath => Path.Combine(ModuleSources, "nsock.psd1");

    /// <summary>The root module: it imports the build of the cmdlets for the running edition.</summary>
    public static string LoaderPath => Path.Combine(ModuleSources, "nsock.psm1");

    public static string FormatPath => Path.Combine(ModuleSources, "nsock.format.ps1xml");

    public static string HelpPath => Path.Combine(ModuleSources, "en-US", "Nsock.PowerShell.dll-Help.xml");

    public static string AboutPath => Path.Combine(ModuleSources, "en-US", "about_nsock.help.txt");

    public static string PesterFolder => Path.Combine(Root, "tests", "Nsock.PowerShell.Tests", "pester");

    /// <summary>The version in src/Directory.Build.props.</summary>
    public static string Version =>
        Regex.Match(File.ReadAllText(Path.Combine(Root, "src", "Directory.Build.props")), "<Version>([^<]+)</Version>").Groups[1].Value;

    /// <summary>What scripts/build assembles: artifacts/module/nsock/&lt;version&gt;.</summary>
    public static string BuiltModuleFolder => Path.Combine(Root, "artifacts", "module", "nsock", Version);

    /// <summary>
    /// The builds of the cmdlets and the engine in the built module, by the folder nsock.psm1 imports from:
    /// core (net8.0, PowerShell 7.4+) and desktop (netstandard2.0, Windows PowerShell 5.1).
    /// </summary>
    public static readonly (string Folder, string TargetFramework)[] Editions =
    {
        ("core", ".NETCoreApp,Version=v8.0"),
        ("desktop", ".NETStandard,Version=v2.0"),
    };

    /// <summary>artifacts/module/nsock/&lt;version&gt;/core or /desktop.</summary>
    public static string BuiltEditionFolder(string edition) => Path.Combine(BuiltModuleFolder, edition);

    /// <summary>
    /// The module assembly this test run was built with (always current: it is a project reference): the net8.0 build,
    /// or the netstandard2.0 one with -p:NsockModuleTarget=netstandard2.0 (see the csproj).
    /// </summary>
    public static string ModuleAssembly => Path.Combine(AppContext.BaseDirectory, "Nsock.PowerShell.dll");

    /// <summary>The engine assembly beside it.</summary>
    public static string EngineAssembly => Path.Combine(AppContext.BaseDirectory, "Nsock.Core.dll");

    /// <summary>PowerShellStandard.Library's System.Management.Automation, copied as a file to read, never loaded.</summary>
    public static string SmaReference => Path.Combine(AppContext.BaseDirectory, "reference", "System.Management.Automation.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "tool.nuspec"))) return dir.FullName;
        }
        throw new InvalidOperationException("no tool.nuspec above " + AppContext.BaseDirectory + ": the tests must run inside the repository");
    }
}
