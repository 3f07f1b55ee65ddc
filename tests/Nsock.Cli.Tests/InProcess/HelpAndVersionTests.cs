using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>--help teaches by example on every command; --version prints the version.</summary>
public class HelpAndVersionTests
{
    [Fact]
    public async Task Root_help_lists_every_command_examples_and_the_exit_codes()
    {
        InProcessResult r = await InProcess.RunAsync("--help");

        Assert.Equal(0, r.ExitCode);
        foreach (string command in new[] { "connect", "listen", "send", "recv", "resolve" }) Assert.Contains(command, r.Out);
        Assert.Contains("Examples:", r.Out);
        Assert.Contains("Exit codes:", r.Out);
        Assert.Contains("143 terminated", r.Out);
    }

    [Theory]
    [InlineData("connect", "--recv-only")]
    [InlineData("listen", "--echo")]
    [InlineData("listen", "--max-clients")]
    [InlineData("send", "--reply")]
    [InlineData("recv", "--until")]
    [InlineData("resolve", "host")]
    public async Task Every_command_help_shows_its_options_and_examples(string command, string option)
    {
        InProcessResult r = await InProcess.RunAsync(command, "--help");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains(option, r.Out);
        Assert.Contains("Examples:", r.Out);
        Assert.Contains("nsock " + command, r.Out);
        Assert.Equal("", r.Err);
    }

    [Fact]
    public async Task Global_options_appear_in_a_subcommand_help()
    {
        InProcessResult r = await InProcess.RunAsync("send", "-h");

        Assert.Contains("--timeout", r.Out);
        Assert.Contains("--json", r.Out);
    }

    [Fact]
    public async Task Version_prints_the_version_the_commit_the_runtime_and_the_rid()
    {
        InProcessResult r = await InProcess.RunAsync("--version");

        Assert.Equal(0, r.ExitCode);
        // In-process the nsock assembly runs on the test host's JIT runtime.
        Assert.Equal($"nsock {AssemblyVersion} (commit {AssemblyCommit}, JIT, {RuntimeInformation.RuntimeIdentifier})", r.Out.Trim());
        // Built from a git checkout (as here and in CI), the commit is known; elsewhere it says "unknown".
        if (Path.Exists(Path.Combine(Repository.Root, ".git"))) Assert.Matches(new Regex(@"^[0-9a-f]{12}(-dirty)?$"), AssemblyCommit);
    }

    [Fact]
    public async Task The_binary_prints_the_version_and_commit_it_was_built_from_and_that_it_runs_natively()
    {
        NsockResult binary = await Nsock.RunAsync("--version");

        Assert.Equal(0, binary.ExitCode);
        string runtime = Nsock.Description.StartsWith("dotnet ", StringComparison.Ordinal) ? "JIT" : "AOT";
        Assert.Equal($"nsock {AssemblyVersion} (commit {AssemblyCommit}, {runtime}, {RuntimeInformation.RuntimeIdentifier})", binary.Out.Trim());
    }

    [Fact]
    public async Task The_framework_dependent_build_says_it_runs_on_the_jit()
    {
        // The plain build beside these tests has RuntimeFeature.IsDynamicCodeSupported turned off in its runtimeconfig
        // (the SDK does that for a PublishAot project, to behave like AOT), yet runs on the JIT.
        using ChildProcess p = ChildProcess.Start("dotnet", new[] { Path.Combine(AppContext.BaseDirectory, "nsock.dll"), "--version" });
        p.CloseStdIn();

        Assert.Equal(0, await p.WaitForExitAsync());
        Assert.Equal($"nsock {AssemblyVersion} (commit {AssemblyCommit}, JIT, {RuntimeInformation.RuntimeIdentifier})", p.StdOut.Text.Trim());
    }

    // The nsock assembly these tests reference comes from the same checkout as the binary (scripts/test builds both).
    private static string AssemblyVersion => typeof(NsockApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

    private static string AssemblyCommit => typeof(NsockApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Commit").Value!;
}
