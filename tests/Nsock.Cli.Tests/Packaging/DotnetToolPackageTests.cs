using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using System.Xml.Linq;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>
/// The dotnet tool packages that scripts/build leaves in artifacts/nupkg, installed the way a person installs them:
/// <c>dotnet tool install</c> resolves the pointer package to the native-AOT package of this machine's RID.
/// </summary>
public sealed class DotnetToolPackageTests : IDisposable
{
    private static readonly string[] s_nativeRids = { "linux-x64", "linux-arm64", "win-x64", "win-arm64", "osx-arm64" };
    private readonly string _temp = Directory.CreateTempSubdirectory("nsock-tool-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task Dotnet_tool_install_from_the_packages_gives_the_native_executable_of_this_rid()
    {
        string rid = RuntimeInformation.RuntimeIdentifier;

        string toolPath = await InstallAsync(_temp, new Dictionary<string, string>());

        string entry = InstalledExecutable(toolPath, rid);
        string folder = Path.GetDirectoryName(entry)!;
        Assert.Empty(Directory.EnumerateFiles(folder, "*.dll"));
        Assert.Empty(Directory.EnumerateFiles(folder, "*.runtimeconfig.json"));
        if (OperatingSystem.IsLinux()) Assert.Equal(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }, File.ReadAllBytes(entry).Take(4).ToArray());
        // On Linux and macOS the command on the path is a link to that executable itself: no launcher in between.
        if (!OperatingSystem.IsWindows()) Assert.Equal(entry, new FileInfo(Path.Combine(toolPath, "nsock")).ResolveLinkTarget(returnFinalTarget: true)?.FullName);

        ProcessResult version = await Run(Path.Combine(toolPath, OperatingSystem.IsWindows() ? "nsock.exe" : "nsock"), "--version");

        Assert.Equal(0, version.ExitCode);
        Assert.Equal($"nsock {Version} (", version.Out.Substring(0, $"nsock {Version} (".Length));
        Assert.EndsWith($", AOT, {rid})", version.Out.TrimEnd());
    }

    [Fact]
    public void The_pointer_package_names_a_native_package_per_rid_and_the_framework_dependent_fallback()
    {
        XDocument settings = Settings(Path.Combine(Packages, $"nsock.{Version}.nupkg"), "tools/any/any/DotnetToolSettings.xml");

        string[] rids = settings.Descendants("RuntimeIdentifierPackage").Select(p => (string)p.Attribute("RuntimeIdentifier")!).ToArray();
        Assert.Equal(s_nativeRids.Append("any"), rids);
        Assert.All(settings.Descendants("RuntimeIdentifierPackage"), p => Assert.Equal("nsock." + (string)p.Attribute("RuntimeIdentifier")!, (string)p.Attribute("Id")!));
        Assert.Equal("nsock", (string)settings.Descendants("Command").Single().Attribute("Name")!);
    }

    [Fact]
    public async Task The_any_package_is_the_framework_dependent_build_and_runs_on_the_jit()
    {
        string package = Path.Combine(Packages, $"nsock.any.{Version}.nupkg");
        XDocument settings = Settings(package, "tools/net10.0/any/DotnetToolSettings.xml");
        Assert.Equal("nsock.dll", (string)settings.Descendants("Command").Single().Attribute("EntryPoint")!);
        Assert.Equal("dotnet", (string)settings.Descendants("Command").Single().Attribute("Runner")!);
        ZipFile.ExtractToDirectory(package, Path.Combine(_temp, "any"));

        ProcessResult version = await Run("dotnet", Path.Combine(_temp, "any", "tools", "net10.0", "any", "nsock.dll"), "--version");

        Assert.Equal(0, version.ExitCode);
        Assert.EndsWith($", JIT, {RuntimeInformation.RuntimeIdentifier})", version.Out.TrimEnd());
    }

    /// <summary>
    /// <c>dotnet tool install --tool-path &lt;temp&gt;/tools nsock</c> from artifacts/nupkg (the way a person installs the
    /// tool); returns the tool path. Only the freshly built packages: no other feed, and a package cache of its own
    /// (every build is the same version, so a shared cache would hand back the package of an earlier build).
    /// <paramref name="environment"/> is the SDK's (e.g. DOTNET_RUNTIME_ID, the RID it installs for).
    /// </summary>
    internal static async Task<string> InstallAsync(string temp, IReadOnlyDictionary<string, string> environment)
    {
        string toolPath = Path.Combine(temp, "tools");
        string config = Path.Combine(temp, "nuget.config");
        File.WriteAllText(config, "<configuration><packageSources><clear /></packageSources></configuration>");
        var sdkEnvironment = new Dictionary<string, string>(environment) { ["NUGET_PACKAGES"] = Path.Combine(temp, "packages") };

        ProcessResult install = await Run(sdkEnvironment, "dotnet", "tool", "install", "--tool-path", toolPath, "--configfile", config,
            "--add-source", Packages, "--version", Version, "nsock");

        Assert.True(install.ExitCode == 0, $"dotnet tool install failed ({install.ExitCode}):\n{install.Out}\n{install.Err}");
        return toolPath;
    }

    /// <summary>The executable that <see cref="InstallAsync"/> put in the tool store, in the folder of the package for <paramref name="rid"/>.</summary>
    internal static string InstalledExecutable(string toolPath, string rid) =>
        Directory.EnumerateFiles(Path.Combine(toolPath, ".store"), rid.StartsWith("win-", StringComparison.Ordinal) ? "nsock.exe" : "nsock", SearchOption.AllDirectories)
            .Single(f => Path.GetFileName(Path.GetDirectoryName(f)) == rid);

    /// <summary>The version every package of this build carries: the one the command reports.</summary>
    internal static string Version => typeof(NsockApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

    internal static string Packages
    {
        get
        {
            string folder = Path.Combine(Repository.Root, "artifacts", "nupkg");
            Assert.True(File.Exists(Path.Combine(folder, $"nsock.{Version}.nupkg")), $"no nsock.{Version}.nupkg in {folder}: run scripts/build first");
            return folder;
        }
    }

    private static XDocument Settings(string package, string entry)
    {
        using ZipArchive zip = ZipFile.OpenRead(package);
        using Stream s = zip.GetEntry(entry)?.Open() ?? throw new InvalidOperationException($"{Path.GetFileName(package)} has no {entry}");
        return XDocument.Load(s);
    }

    internal static Task<ProcessResult> Run(string file, params string[] args) => Run(new Dictionary<string, string>(), file, args);

    internal static async Task<ProcessResult> Run(IReadOnlyDictionary<string, string> environment, string file, params string[] args)
    {
        using ChildProcess p = ChildProcess.Start(file, args, environment);
        p.CloseStdIn();
        int code = await p.WaitForExitAsync(TimeSpan.FromMinutes(3));
        return new ProcessResult(code, p.StdOut.Text, p.StdErr.Text);
    }

    internal sealed record ProcessResult(int ExitCode, string Out, string Err);
}
