using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>
/// The nsock.linux-arm64 package that scripts/build cross-compiles on linux-x64, installed with <c>dotnet tool
/// install</c> as an arm64 machine installs it, and run under qemu-user.
/// <para>
/// Which RID package the SDK installs is the RID the SDK runs as (RuntimeInformation.RuntimeIdentifier), not its
/// <c>--arch</c> option: on Linux <c>--arch arm64</c> fails before installing anything ("The runtime identifier
/// linux-arm64 is invalid. Valid runtime identifiers are: win-x64 win-arm64 osx-x64 osx-arm64", dotnet/sdk#29074: it
/// only picks the apphost of a framework-dependent tool). DOTNET_RUNTIME_ID, the .NET host's documented override of
/// the detected RID, makes this x64 SDK resolve the pointer package as an arm64 one does.
/// </para>
/// </summary>
public sealed class Arm64ToolPackageTests : IDisposable
{
    private const string Rid = "linux-arm64";
    private const ushort ElfMachineAarch64 = 0xB7;
    private readonly string _temp = Directory.CreateTempSubdirectory("nsock-tool-arm64-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Arm64PackageFact]
    public async Task The_linux_arm64_package_installs_an_aarch64_executable_that_echoes_under_qemu()
    {
        string toolPath = await DotnetToolPackageTests.InstallAsync(_temp, new Dictionary<string, string> { ["DOTNET_RUNTIME_ID"] = Rid });

        string entry = DotnetToolPackageTests.InstalledExecutable(toolPath, Rid);
        Assert.Equal(entry, new FileInfo(Path.Combine(toolPath, "nsock")).ResolveLinkTarget(returnFinalTarget: true)?.FullName);
        Assert.Equal(new[] { "DotnetToolSettings.xml", "nsock" }, Directory.EnumerateFiles(Path.GetDirectoryName(entry)!).Select(Path.GetFileName).Order());
        byte[] header = File.ReadAllBytes(entry).Take(20).ToArray();
        Assert.Equal(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 2 /* 64-bit */, 1 /* little-endian */ }, header.Take(6).ToArray());
        Assert.Equal(ElfMachineAarch64, BitConverter.ToUInt16(header, 18));

        DotnetToolPackageTests.ProcessResult version = await DotnetToolPackageTests.Run("qemu-aarch64", "-L", Sysroot, entry, "--version");

        Assert.True(version.ExitCode == 0, $"qemu-aarch64 nsock --version: exit {version.ExitCode}\n{version.Out}\n{version.Err}");
        Assert.StartsWith($"nsock {DotnetToolPackageTests.Version} (", version.Out);
        Assert.EndsWith($", AOT, {Rid})", version.Out.TrimEnd());

        // One real exchange on loopback: the arm64 nsock echoes, this machine's nsock sends and reads the reply.
        using ChildProcess echo = ChildProcess.Start("qemu-aarch64", new[] { "-L", Sysroot, entry, "listen", "127.0.0.1:0", "--echo", "--json" });
        string ready = await echo.StdOut.WaitForLineAsync(line => line.Contains("\"event\":\"ready\"", StringComparison.Ordinal));
        using JsonDocument readyEvent = JsonDocument.Parse(ready);
        int port = readyEvent.RootElement.GetProperty("port").GetInt32();
        byte[] payload = Data.Random(256 * 1024);

        NsockResult reply = await Nsock.RunAsync(new[] { "send", $"127.0.0.1:{port}", "--reply" }, payload);

        Assert.True(reply.ExitCode == 0, reply.ToString());
        Assert.Equal(Data.Sha256(payload), Data.Sha256(reply.StdOut));
    }

    /// <summary>Debian's arm64 C runtime (libc6-dev-arm64-cross): qemu-aarch64 finds the executable's loader and libc under it.</summary>
    private const string Sysroot = "/usr/aarch64-linux-gnu";

    /// <summary>
    /// Runs where scripts/build cross-compiles linux-arm64 (linux-x64) and built the package; skips, saying so, where
    /// it did not. qemu-aarch64 missing is a failure, not a skip: scripts/test installs it.
    /// </summary>
    public sealed class Arm64PackageFactAttribute : FactAttribute
    {
        public Arm64PackageFactAttribute()
        {
            if (RuntimeInformation.RuntimeIdentifier != "linux-x64")
                Skip = $"the linux-arm64 package is cross-compiled and run under qemu on linux-x64 only (this is {RuntimeInformation.RuntimeIdentifier})";
            else if (!File.Exists(Path.Combine(Repository.Root, "artifacts", "nupkg", $"nsock.{Rid}.{DotnetToolPackageTests.Version}.nupkg")))
                Skip = $"scripts/build built no nsock.{Rid} package (no cross toolchain: it said why)";
        }
    }
}
