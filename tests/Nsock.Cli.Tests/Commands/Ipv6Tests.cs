using System.Net;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>IPv6 on the loopback address <c>[::1]</c>.</summary>
public class Ipv6Tests
{
    [Fact]
    public async Task An_echo_listener_on_ipv6_loopback_answers_send_with_reply()
    {
        using RunningListener echo = await Nsock.ListenAsync("[::1]:0", "--echo");

        NsockResult r = await Nsock.RunAsync("send", $"[::1]:{echo.Port}", "six", "--reply");

        Assert.Equal("::1", echo.Ready.GetProperty("address").GetString());
        Assert.Equal($"tcp://[::1]:{echo.Port}", echo.Ready.GetProperty("endpoint").GetString());
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("six", r.Out);
    }

    [Fact]
    public async Task Connect_with_ipv6_only_round_trips_bytes_and_reports_bracketed_addresses()
    {
        byte[] payload = Data.Random(200_000);
        using RunningListener echo = await Nsock.ListenAsync("[::1]:0", "--echo");

        NsockResult r = await Nsock.RunAsync(new[] { "connect", $"tcp://[::1]:{echo.Port}", "-6", "--json" }, payload);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(r.StdOut));
        Assert.Contains($"\"remote\":\"[::1]:{echo.Port}\"", r.StdErr);
    }

    [Fact]
    public async Task An_ipv6_literal_with_ipv4_only_is_bad_input()
    {
        NsockResult r = await Nsock.RunAsync("connect", "[::1]:9", "-4");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("::1 is an IPv6 address, but -4", r.StdErr);
    }

    [Fact]
    public async Task Udp_echo_works_over_ipv6_loopback()
    {
        using RunningListener echo = await Nsock.ListenAsync("udp://[::1]:0", "--echo");

        NsockResult r = await Nsock.RunAsync("send", $"udp://[::1]:{echo.Port}", "v6 datagram", "-r");

        Assert.Equal("v6 datagram", r.Out);
    }

    [Fact]
    public async Task Allow_with_an_ipv6_block_admits_the_ipv6_loopback_peer()
    {
        using RunningListener echo = await Nsock.ListenAsync("[::1]:0", "--echo", "--allow", "::1/128");

        byte[] back = await Loopback.RoundTripAsync(new IPEndPoint(IPAddress.IPv6Loopback, echo.Port), Encoding.ASCII.GetBytes("ok"));

        Assert.Equal("ok", Encoding.ASCII.GetString(back));
    }
}
