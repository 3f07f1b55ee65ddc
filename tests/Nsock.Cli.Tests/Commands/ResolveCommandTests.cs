using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary><c>nsock resolve</c>: one address per line on stdout; -v and --json add the details.</summary>
public class ResolveCommandTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task An_address_literal_resolves_to_itself(string address)
    {
        NsockResult r = await Nsock.RunAsync("resolve", address);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(address, r.Out.Trim());
    }

    [Fact]
    public async Task Localhost_with_ipv4_only_resolves_to_the_ipv4_loopback()
    {
        NsockResult r = await Nsock.RunAsync("resolve", "localhost", "-4");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("127.0.0.1", r.Out.Split('\n'));
        Assert.DoesNotContain("::1", r.Out);
    }

    [Fact]
    public async Task Verbose_adds_the_canonical_name_on_stderr_and_keeps_stdout_to_addresses()
    {
        NsockResult r = await Nsock.RunAsync("resolve", "localhost", "-4", "-v");

        Assert.Contains("nsock: canonical name: ", r.StdErr);
        Assert.DoesNotContain("canonical", r.Out);
    }

    [Fact]
    public async Task Json_prints_one_resolved_event_with_every_address()
    {
        NsockResult r = await Nsock.RunAsync("resolve", "localhost", "-4", "--json");

        using JsonDocument doc = JsonDocument.Parse(r.Out.Trim());
        Assert.Equal("resolved", doc.RootElement.GetProperty("event").GetString());
        Assert.Equal("localhost", doc.RootElement.GetProperty("query").GetString());
        Assert.Contains(doc.RootElement.GetProperty("addresses").EnumerateArray(), a => a.GetString() == "127.0.0.1");
    }

    [Fact]
    public async Task An_empty_host_is_bad_input()
    {
        NsockResult r = await Nsock.RunAsync("resolve", " ");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("host is empty", r.StdErr);
    }
}
