using System.Reflection;
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
    public async Task Version_prints_a_semantic_version_and_exits_zero()
    {
        InProcessResult r = await InProcess.RunAsync("--version");

        Assert.Equal(0, r.ExitCode);
        Assert.Matches(new Regex(@"^\d+\.\d+\.\d+"), r.Out.Trim());
    }

    [Fact]
    public async Task The_binary_prints_the_version_of_the_nsock_assembly()
    {
        // In-process, System.CommandLine reports the entry assembly (the test host), so the binary is the real check.
        string expected = typeof(NsockApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

        NsockResult binary = await Nsock.RunAsync("--version");

        Assert.Equal(0, binary.ExitCode);
        Assert.Equal(expected, binary.Out.Trim().Split('+')[0]);
    }
}
