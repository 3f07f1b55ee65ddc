using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>Values the parser accepts but the OS or the runtime cannot hold end with exit 2 and one line, not a stack trace.</summary>
public class OutOfRangeInputTests
{
    [Theory]
    [InlineData("recv", "1e18")]
    [InlineData("connect", "4294967296")]
    [InlineData("send", "9223372036854775807")]
    [InlineData("recv", "1e308")]
    [InlineData("resolve", "1e18")]
    [InlineData("ping", "4294967296")]
    [InlineData("http", "1e308")]
    [InlineData("listen", "1e18")]
    public async Task A_huge_timeout_is_a_usage_error_naming_the_option(string command, string seconds)
    {
        string target = command switch
        {
            "resolve" => "localhost",
            "http" => $"http://127.0.0.1:{FreePort.Closed()}/",
            "listen" => "127.0.0.1:0",
            _ => $"127.0.0.1:{FreePort.Closed()}",
        };

        InProcessResult r = await InProcess.RunAsync(command, target, "--timeout", seconds);

        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("--timeout must be", r.Err);
        Assert.DoesNotContain("Unhandled exception", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Theory]
    [InlineData("connect", "--wait-after-eof")]
    [InlineData("ping", "--interval")]
    public async Task A_huge_wait_is_a_usage_error_naming_the_option(string command, string option)
    {
        InProcessResult r = await InProcess.RunAsync(command, $"127.0.0.1:{FreePort.Closed()}", option, "1e18");

        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains(option + " must be", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Theory]
    [InlineData("connect")]
    [InlineData("send")]
    [InlineData("listen")]
    public async Task A_unix_socket_path_longer_than_the_os_allows_is_a_usage_error(string command)
    {
        string path = "/tmp/" + new string('a', 150) + ".sock";

        InProcessResult r = await InProcess.RunAsync(command, "unix:" + path);

        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("unix socket path is 160 bytes", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }
}
