using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>Bad input ends with exit code 2 and a message that names the bad part, before any socket is opened.</summary>
public class UsageErrorTests
{
    [Theory]
    [InlineData("connect", "127.0.0.1:70000", "70000")]
    [InlineData("send", "127.0.0.1:99999", "99999")]
    [InlineData("listen", "127.0.0.1:65536", "65536")]
    public async Task A_port_above_65535_is_rejected_naming_the_port(string command, string endpoint, string port)
    {
        InProcessResult r = await InProcess.RunAsync(command, endpoint);

        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains($"port {port} is out of range", r.Err);
    }

    [Fact]
    public async Task A_host_with_a_colon_and_no_port_is_rejected_naming_the_host()
    {
        InProcessResult r = await InProcess.RunAsync("connect", "host:");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("port is missing after 'host:'", r.Err);
    }

    [Fact]
    public async Task An_unknown_scheme_is_rejected_naming_the_scheme()
    {
        InProcessResult r = await InProcess.RunAsync("connect", "ftp://127.0.0.1:21");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown scheme 'ftp'", r.Err);
    }

    [Theory]
    [InlineData("resolve", "localhost")]
    [InlineData("connect", "127.0.0.1:9")]
    [InlineData("listen", "127.0.0.1:0")]
    public async Task Ipv4_only_and_ipv6_only_together_are_rejected(string command, string target)
    {
        InProcessResult r = await InProcess.RunAsync(command, target, "-4", "-6");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("-4 and -6", r.Err);
    }

    [Fact]
    public async Task A_negative_timeout_is_a_usage_error_naming_the_option()
    {
        InProcessResult r = await InProcess.RunAsync("recv", "127.0.0.1:9", "--timeout", "-1");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--timeout must be 0 or a positive number", r.Err);
    }

    [Fact]
    public async Task A_timeout_that_is_not_a_number_is_a_usage_error_not_a_crash()
    {
        InProcessResult r = await InProcess.RunAsync("recv", "127.0.0.1:9", "-w", "soon");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("soon", r.Err);
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error_that_names_it_and_points_to_help()
    {
        InProcessResult r = await InProcess.RunAsync("listen", "127.0.0.1:0", "--bogus");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--bogus", r.Err);
        Assert.Contains("Try 'nsock listen --help'.", r.Err);
    }

    [Fact]
    public async Task An_unknown_command_is_a_usage_error()
    {
        InProcessResult r = await InProcess.RunAsync("teleport", "127.0.0.1:1");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("teleport", r.Err);
        Assert.Contains("Try 'nsock --help'.", r.Err);
    }

    [Fact]
    public async Task A_missing_endpoint_is_a_usage_error()
    {
        InProcessResult r = await InProcess.RunAsync("connect");

        Assert.Equal(2, r.ExitCode);
        Assert.NotEqual("", r.Err.Trim());
    }

    [Theory]
    [InlineData("connect", "127.0.0.1:0", "port 0")]
    [InlineData("connect", ":8080", "has no host")]
    [InlineData("send", "[::1:80", "missing ']'")]
    [InlineData("send", "::1:80", "need brackets")]
    [InlineData("connect", "bad host!:80", "contains ' '")]
    [InlineData("recv", "127.0.0.1:abc", "'abc' is not a port number")]
    [InlineData("recv", "udp://127.0.0.1:53", "recv reads a stream")]
    [InlineData("connect", "unix:", "unix socket path is empty")]
    public async Task A_malformed_endpoint_is_rejected_naming_the_bad_part(string command, string endpoint, string expected)
    {
        InProcessResult r = await InProcess.RunAsync(command, endpoint);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Err);
    }

    [Fact]
    public async Task Send_only_and_receive_only_together_are_rejected()
    {
        InProcessResult r = await InProcess.RunAsync("connect", "127.0.0.1:9", "--send-only", "--recv-only");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--send-only and --recv-only exclude each other", r.Err);
    }

    [Fact]
    public async Task Send_with_both_text_and_a_file_is_rejected()
    {
        InProcessResult r = await InProcess.RunAsync("send", "127.0.0.1:9", "hello", "--file", "/etc/hostname");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("give TEXT or --file, not both", r.Err);
    }

    [Fact]
    public async Task Send_of_a_file_that_does_not_exist_is_bad_input_naming_the_file()
    {
        string missing = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nsock-no-such-file-" + System.Guid.NewGuid().ToString("N"));
        InProcessResult r = await InProcess.RunAsync("send", "127.0.0.1:9", "--file", missing);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(missing, r.Err);
    }

    [Theory]
    [InlineData("--max-clients", "0", "--max-clients must be at least 1")]
    [InlineData("--count", "0", "--count must be at least 1")]
    [InlineData("--allow", "198.51.100.0/33", "33")]
    [InlineData("--deny", "not-an-ip", "'not-an-ip' is not an IP address")]
    [InlineData("--allow", "10/8", "IPv4 needs all four parts")]
    public async Task Listen_rejects_bad_option_values_naming_them(string option, string value, string expected)
    {
        InProcessResult r = await InProcess.RunAsync("listen", "127.0.0.1:0", option, value);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Err);
    }

    [Fact]
    public async Task Recv_rejects_a_negative_byte_count()
    {
        InProcessResult r = await InProcess.RunAsync("recv", "127.0.0.1:9", "--bytes", "-5");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("-5", r.Err);
    }

    [Fact]
    public async Task Recv_rejects_an_until_delimiter_with_a_bad_escape()
    {
        InProcessResult r = await InProcess.RunAsync("recv", "127.0.0.1:9", "--until", @"\xZZ");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--until", r.Err);
    }

    [Fact]
    public async Task A_usage_error_with_json_is_one_error_line_with_kind_and_exit_code()
    {
        InProcessResult r = await InProcess.RunAsync("resolve", "localhost", "-4", "-6", "--json");

        Assert.Equal(2, r.ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(r.Out.Trim());
        Assert.Equal("error", doc.RootElement.GetProperty("event").GetString());
        Assert.Equal("BadInput", doc.RootElement.GetProperty("kind").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("exitCode").GetInt32());
    }
}
