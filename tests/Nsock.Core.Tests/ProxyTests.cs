using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

// --proxy socks5:// and http:// (CONNECT): the hop sits in the connector, so every connecting verb goes through it.
// The proxy is tests/Assets/test_proxy.py on loopback; the targets are loopback sockets of the test.
public sealed class ProxyTests
{
    private static readonly IOptionNames Names = PlainOptionNames.Instance;

    [Theory]
    [InlineData("socks5")]
    [InlineData("http")]
    public async Task Connect_through_the_proxy_carries_bytes_both_ways_and_each_half_close_reaches_the_other_end(string kind)
    {
        using TestProxy proxy = await TestProxy.StartAsync(kind);
        using Socket listener = Loopback.ListenTcp();
        var sink = new RecordingSink();
        ConnectPlan plan = new ConnectRequest { Target = new ConnectTarget { Endpoint = $"127.0.0.1:{listener.Port()}", Proxy = proxy.Url() } }.Validate(Names);
        var output = new MemoryStream();

        Task<RelayResult> run = plan.RunAsync(new MemoryStream(Encoding.ASCII.GetBytes("ping through the tunnel")), output, sink, CancellationToken.None);
        using Socket served = await listener.AcceptBoundedAsync();
        // Our input ended: its FIN came through the proxy, so the peer reads to end; then the peer answers and closes.
        Assert.Equal("ping through the tunnel", Encoding.ASCII.GetString(await served.ReadToEndAsync()));
        await served.SendAllAsync(Encoding.ASCII.GetBytes("pong"));
        served.Shutdown(SocketShutdown.Send);
        RelayResult r = await run.WaitAsync(Limits.Wait);

        Assert.Null(r.Error);
        Assert.Equal("pong", Encoding.ASCII.GetString(output.ToArray()));
        Connected connected = Assert.Single(sink.Of<Connected>());
        Assert.Equal($"127.0.0.1:{listener.Port()}", connected.Remote);
        Assert.Equal(proxy.Url(), connected.Via);
    }

    [Theory]
    [InlineData("socks5")]
    [InlineData("http")]
    public async Task A_name_goes_to_the_proxy_unresolved_for_it_to_resolve(string kind)
    {
        using TestProxy proxy = await TestProxy.StartAsync(kind);
        using Socket listener = Loopback.ListenTcp();
        SendPlan plan = new SendRequest { Target = new ConnectTarget { Endpoint = $"localhost:{listener.Port()}", Proxy = proxy.Url() } }.Validate(Names);

        Task<SendResult> run = plan.RunAsync(new MemoryStream(Encoding.ASCII.GetBytes("by name")), null, new RecordingSink(), CancellationToken.None);
        using Socket served = await listener.AcceptBoundedAsync();
        Assert.Equal("by name", Encoding.ASCII.GetString(await served.ReadToEndAsync()));
        served.Shutdown(SocketShutdown.Send);
        SendResult r = await run.WaitAsync(Limits.Wait);

        Assert.Equal(7, r.BytesSent);
        Assert.Equal($"REQUEST domain localhost {listener.Port()}", await proxy.NextLineAsync("REQUEST"));
    }

    [Fact]
    public async Task A_socks5_address_literal_goes_as_its_own_address_type()
    {
        using TestProxy proxy = await TestProxy.StartAsync("socks5");
        using Socket listener = Loopback.ListenTcp();
        using Socket socket = await Connector.ConnectAsync(Loopback.Tcp(listener.Port()), Options(proxy.Url()), CancellationToken.None);
        Assert.Equal($"REQUEST ipv4 127.0.0.1 {listener.Port()}", await proxy.NextLineAsync("REQUEST"));
        if (Loopback.Ipv6Problem is not null) return;
        using var v6 = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        v6.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        v6.Listen(1);
        using Socket six = await Connector.ConnectAsync(new Endpoint(Transport.Tcp, "::1", v6.Port()), Options(proxy.Url()), CancellationToken.None);
        Assert.Equal($"REQUEST ipv6 ::1 {v6.Port()}", await proxy.NextLineAsync("REQUEST"));
    }

    [Theory]
    [InlineData("socks5")]
    [InlineData("http")]
    public async Task Receive_through_the_proxy_reads_what_the_peer_sends_until_it_closes(string kind)
    {
        using TestProxy proxy = await TestProxy.StartAsync(kind);
        using Socket listener = Loopback.ListenTcp();
        byte[] data = RandomNumberGenerator.GetBytes(300_000);
        ReceivePlan plan = new ReceiveRequest { Target = new ConnectTarget { Endpoint = $"127.0.0.1:{listener.Port()}", Proxy = proxy.Url() } }.Validate(Names);
        var output = new MemoryStream();

        Task<ReceiveOutcome> run = plan.RunAsync(output, new RecordingSink(), CancellationToken.None);
        using (Socket served = await listener.AcceptBoundedAsync())
        {
            await served.SendAllAsync(data);
            served.Shutdown(SocketShutdown.Send);
            ReceiveOutcome r = await run.WaitAsync(Limits.Wait);
            Assert.True(r.Succeeded, r.Error?.Message);
        }
        Assert.Equal(data, output.ToArray());
    }

    [Fact]
    public async Task Bytes_an_http_proxy_sends_right_after_its_200_head_are_the_first_bytes_of_the_tunnel()
    {
        // A server that speaks first (SMTP, SSH) has its greeting sent by the proxy in the same segment as the head.
        using TestProxy proxy = await TestProxy.StartAsync("http", "--greeting", "220 hello\r\n");
        using Socket listener = Loopback.ListenTcp();
        ReceivePlan plan = new ReceiveRequest { Target = new ConnectTarget { Endpoint = $"127.0.0.1:{listener.Port()}", Proxy = proxy.Url() } }.Validate(Names);
        var output = new MemoryStream();

        Task<ReceiveOutcome> run = plan.RunAsync(output, new RecordingSink(), CancellationToken.None);
        using (Socket served = await listener.AcceptBoundedAsync())
        {
            await served.SendAllAsync(Encoding.ASCII.GetBytes("and the rest"));
            served.Shutdown(SocketShutdown.Send);
            Assert.True((await run.WaitAsync(Limits.Wait)).Succeeded);
        }
        Assert.Equal("220 hello\r\nand the rest", Encoding.ASCII.GetString(output.ToArray()));
    }

    [Theory]
    [InlineData("socks5")]
    [InlineData("http")]
    public async Task Credentials_the_proxy_accepts_open_the_tunnel(string kind)
    {
        using TestProxy proxy = await TestProxy.StartAsync(kind, "--user", "alice", "--password", "s3cret:@/x");
        using Socket listener = Loopback.ListenTcp();
        // The password holds ':', '@' and '/': percent-encoded in the URL, decoded before it is sent.
        using Socket socket = await Connector.ConnectAsync(Loopback.Tcp(listener.Port()), Options(proxy.Url("alice:s3cret%3A%40%2Fx")), CancellationToken.None);
        using Socket served = await listener.AcceptBoundedAsync();
        Assert.Equal("hi", Encoding.ASCII.GetString(await socket.RoundTripThroughAsync(served, "hi")));
        Assert.Equal("AUTH ok alice", await proxy.NextLineAsync("AUTH"));
    }

    [Theory]
    [InlineData("socks5")]
    [InlineData("http")]
    public async Task A_credential_given_apart_from_the_url_is_used_as_the_url_s_would_be(string kind)
    {
        using TestProxy proxy = await TestProxy.StartAsync(kind, "--user", "bob", "--password", "pw");
        using Socket listener = Loopback.ListenTcp();
        ConnectOptions options = new ConnectTarget { Proxy = proxy.Url(), ProxyCredential = new NetworkCredential("bob", "pw"), Timeout = 10 }.ConnectOptions(Names);
        using Socket socket = await Connector.ConnectAsync(Loopback.Tcp(listener.Port()), options, CancellationToken.None);
        Assert.Equal("AUTH ok bob", await proxy.NextLineAsync("AUTH"));
    }

    [Theory]
    [InlineData("socks5", "refused the user name and password")]
    [InlineData("http", "407 Proxy Authentication Required")]
    public async Task A_wrong_password_is_an_error_that_never_shows_the_password(string kind, string expected)
    {
        using TestProxy proxy = await TestProxy.StartAsync(kind, "--user", "alice", "--password", "right");
        using Socket listener = Loopback.ListenTcp();
        var e = await Assert.ThrowsAsync<NsockException>(() => Connector.ConnectAsync(Loopback.Tcp(listener.Port()), Options(proxy.Url("alice:wrong-password")), CancellationToken.None));
        Assert.Equal(NsockErrorKind.Io, e.Kind);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain("wrong-password", e.Message);
        Assert.Contains("alice:***@", e.Message);
    }

    [Theory]
    [InlineData("socks5", "requires authentication")]
    [InlineData("http", "requires authentication")]
    public async Task No_credentials_for_a_proxy_that_wants_them_says_so(string kind, string expected)
    {
        using TestProxy proxy = await TestProxy.StartAsync(kind, "--user", "alice", "--password", "right");
        using Socket listener = Loopback.ListenTcp();
        var e = await Assert.ThrowsAsync<NsockException>(() => Connector.ConnectAsync(Loopback.Tcp(listener.Port()), Options(proxy.Url()), CancellationToken.None));
        Assert.Equal(NsockErrorKind.Io, e.Kind);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public async Task A_proxy_that_is_down_is_refused_and_the_message_names_the_proxy()
    {
        int closed = Loopback.ClosedTcpPort();
        var e = await Assert.ThrowsAsync<NsockException>(() => Connector.ConnectAsync(Loopback.Tcp(9), Options($"socks5://127.0.0.1:{closed}"), CancellationToken.None));
        Assert.Equal(NsockErrorKind.Refused, e.Kind);
        Assert.StartsWith($"proxy socks5://127.0.0.1:{closed}: ", e.Message);
        Assert.Contains("connection refused", e.Message);
        Assert.False(ProxyTunnel.IsTargetFault(e));
    }

    [Theory]
    [InlineData(5, NsockErrorKind.Refused, "connection refused by the target (SOCKS5 reply 5)")]
    [InlineData(4, NsockErrorKind.Unreachable, "host unreachable (SOCKS5 reply 4)")]
    [InlineData(3, NsockErrorKind.Unreachable, "network unreachable (SOCKS5 reply 3)")]
    [InlineData(6, NsockErrorKind.TimedOut, "TTL expired")]
    [InlineData(2, NsockErrorKind.Io, "connection not allowed by the proxy's rules (SOCKS5 reply 2)")]
    [InlineData(1, NsockErrorKind.Io, "general SOCKS server failure (SOCKS5 reply 1)")]
    [InlineData(9, NsockErrorKind.Io, "unknown SOCKS5 reply code 9")]
    public async Task Each_socks5_reply_code_is_named_in_words_with_its_kind(int code, NsockErrorKind kind, string words)
    {
        using TestProxy proxy = await TestProxy.StartAsync("socks5", "--socks-reply", code.ToString());
        var e = await Assert.ThrowsAsync<NsockException>(() => Connector.ConnectAsync(new Endpoint(Transport.Tcp, "localhost", 4000), Options(proxy.Url()), CancellationToken.None));
        Assert.Equal(kind, e.Kind);
        Assert.Contains("connect to localhost:4000: " + words, e.Message);
    }

    [Fact]
    public async Task A_refused_target_behind_a_real_connect_is_reported_by_socks5_as_refused()
    {
        using TestProxy proxy = await TestProxy.StartAsync("socks5");
        var e = await Assert.ThrowsAsync<NsockException>(() => Connector.ConnectAsync(Loopback.Tcp(Loopback.ClosedTcpPort()), Options(proxy.Url()), CancellationToken.None));
        Assert.Equal(NsockErrorKind.Refused, e.Kind);
        Assert.True(ProxyTunnel.IsTargetFault(e));
    }

    [Theory]
    [InlineData("403 Forbidden", NsockErrorKind.Io)]
    [InlineData("502 Bad Gateway", NsockErrorKind.Refused)]
    [InlineData("504 Gateway Timeout", NsockErrorKind.TimedOut)]
    public async Task An_http_proxy_s_refusal_names_its_status_line(string status, NsockErrorKind kind)
    {
        using TestProxy proxy = await TestProxy.StartAsync("http", "--http-status", status);
        var e = await Assert.ThrowsAsync<NsockException>(() => Connector.ConnectAsync(new Endpoint(Transport.Tcp, "localhost", 4000), Options(proxy.Url()), CancellationToken.None));
        Assert.Equal(kind, e.Kind);
        Assert.Equal($"proxy {proxy.Url()}: CONNECT localhost:4000 answered 'HTTP/1.1 {status}'", e.Message);
    }

    [Theory]
    [InlineData("socks5")]
    [InlineData("http")]
    public async Task A_proxy_that_never_answers_times_out_within_the_timeout(string kind)
    {
        using TestProxy proxy = await TestProxy.StartAsync(kind, "--silent");
        var options = new ConnectOptions { Timeout = TimeSpan.FromSeconds(1), Proxy = Options(proxy.Url()).Proxy };
        var e = await Assert.ThrowsAsync<NsockException>(() => Connector.ConnectAsync(Loopback.Tcp(9), options, CancellationToken.None)).WaitAsync(Limits.Wait);
        Assert.Equal(NsockErrorKind.TimedOut, e.Kind);
        Assert.Contains("no answer to the request for 127.0.0.1:9 within 1s", e.Message);
    }

    [Theory]
    [InlineData("socks5")]
    [InlineData("http")]
    public async Task Http_get_goes_through_the_tunnel_to_a_python_http_server(string kind)
    {
        string dir = Directory.CreateTempSubdirectory("nsock-proxy-http-").FullName;
        try
        {
            byte[] file = RandomNumberGenerator.GetBytes(100_000);
            File.WriteAllBytes(Path.Combine(dir, "data.bin"), file);
            using PythonHttpServer server = await PythonHttpServer.StartAsync(dir);
            using TestProxy proxy = await TestProxy.StartAsync(kind);
            HttpPlan plan = new HttpRequest { Url = $"http://localhost:{server.Port}/data.bin", Proxy = proxy.Url(), Timeout = 10 }.Validate(Names);
            var body = new MemoryStream();

            HttpOutcome outcome = await plan.RunAsync(body, null, new RecordingSink(), CancellationToken.None).WaitAsync(Limits.Wait);

            Assert.Equal(200, outcome.Response.Status);
            Assert.Equal(file, body.ToArray());
            Assert.Equal($"REQUEST domain localhost {server.Port}", await proxy.NextLineAsync("REQUEST"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Probe_through_the_proxy_tells_open_from_closed_by_the_proxy_s_answer()
    {
        using TestProxy proxy = await TestProxy.StartAsync("socks5");
        using Socket listener = Loopback.ListenTcp();
        int closed = Loopback.ClosedTcpPort();
        ProbePlan plan = new ProbeRequest
        {
            Groups = new[] { new PortProbeGroup(new[] { "localhost" }, new[] { listener.Port(), closed }) },
            Proxy = proxy.Url(),
            Timeout = 5,
        }.Validate(Names);

        ProbeOutcome outcome = await plan.RunAsync(new RecordingSink(), CancellationToken.None).WaitAsync(Limits.Wait);

        Assert.Equal(new[] { PortState.Open, PortState.Closed }, outcome.Results.Select(r => r.State));
        Assert.All(outcome.Results, r => Assert.Null(r.Address)); // the proxy resolved the name, not us
    }

    [Fact]
    public async Task Probe_through_a_proxy_that_is_down_fails_instead_of_calling_ports_closed()
    {
        ProbePlan plan = new ProbeRequest
        {
            Groups = new[] { new PortProbeGroup(new[] { "127.0.0.1" }, new[] { 22 }) },
            Proxy = $"socks5://127.0.0.1:{Loopback.ClosedTcpPort()}",
            Timeout = 5,
        }.Validate(Names);

        var e = await Assert.ThrowsAsync<NsockException>(() => plan.RunAsync(new RecordingSink(), CancellationToken.None)).WaitAsync(Limits.Wait);
        Assert.Equal(NsockErrorKind.Refused, e.Kind);
        Assert.StartsWith("proxy ", e.Message);
    }

    [Fact]
    public async Task Tcp_ping_through_the_proxy_counts_a_reply_per_tunnel_opened()
    {
        using TestProxy proxy = await TestProxy.StartAsync("http");
        using Socket listener = Loopback.ListenTcp(backlog: 8);
        PingPlan plan = new PingRequest { Target = new ConnectTarget { Endpoint = $"localhost:{listener.Port()}", Proxy = proxy.Url() }, Tcp = true, Count = 3, Interval = 0 }.Validate(Names);

        PingOutcome outcome = await plan.RunAsync(new RecordingSink(), CancellationToken.None).WaitAsync(Limits.Wait);

        Assert.Null(outcome.Error);
        Assert.Equal(3, outcome.Summary.Received);
        Assert.Equal($"localhost:{listener.Port()}", outcome.Summary.Address); // the target as named: the proxy resolved it
    }

    [Theory]
    [InlineData("udp://127.0.0.1:9", "carries TCP only, not UDP")]
    [InlineData("unix:/tmp/x.sock", "carries TCP only, not a Unix socket")]
    public void A_proxy_for_a_udp_or_unix_target_is_bad_input(string endpoint, string expected)
    {
        var e = Assert.Throws<NsockException>(() => new ConnectRequest { Target = new ConnectTarget { Endpoint = endpoint, Proxy = "socks5://127.0.0.1:1080" } }.Validate(Names));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("socks5://127.0.0.1:1080", "socks5://127.0.0.1:1080")]
    [InlineData("SOCKS5H://proxy.example:1080/", "socks5://proxy.example:1080")]
    [InlineData("http://u:p@[::1]:3128", "http://u:***@[::1]:3128")]
    [InlineData("http://u@localhost:3128", "http://u@localhost:3128")]
    public void Proxy_urls_parse_and_print_without_their_password(string text, string shown)
    {
        ProxyServer proxy = ProxyServer.Parse(text, null, "--proxy", "-ProxyCredential");
        Assert.Equal(shown, proxy.ToString());
    }

    [Theory]
    [InlineData("127.0.0.1:1080", "give socks5://host:port or http://host:port")]
    [InlineData("socks5://127.0.0.1", "the port too")]
    [InlineData("https://127.0.0.1:443", "https:// is not supported")]
    [InlineData("socks4://127.0.0.1:1080", "SOCKS4 is not supported")]
    [InlineData("ftp://127.0.0.1:21", "'ftp://' is not a proxy scheme")]
    [InlineData("http://127.0.0.1:3128/path", "without a path")]
    [InlineData("socks5://user:hunter2@", "give host:port")]
    public void Bad_proxy_urls_are_named_and_never_echo_a_password(string text, string expected)
    {
        var e = Assert.Throws<NsockException>(() => new ConnectTarget { Proxy = text }.ConnectOptions(Names));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains(expected.Replace("https:// is", "(https://) is"), e.Message);
        Assert.DoesNotContain("hunter2", e.Message);
    }

    [Fact]
    public void User_info_and_a_separate_credential_exclude_each_other()
    {
        var e = Assert.Throws<NsockException>(() => new ConnectTarget { Proxy = "socks5://a:b@127.0.0.1:1080", ProxyCredential = new NetworkCredential("c", "d") }.ConnectOptions(Names));
        Assert.Contains("not both", e.Message);
        var alone = Assert.Throws<NsockException>(() => new ConnectTarget { ProxyCredential = new NetworkCredential("c", "d") }.ConnectOptions(Names));
        Assert.Contains("needs proxy", alone.Message);
    }

    private static ConnectOptions Options(string proxyUrl) => new ConnectTarget { Proxy = proxyUrl, Timeout = 10 }.ConnectOptions(Names);
}

internal static class ProxyTestExtensions
{
    /// <summary>Sends <paramref name="text"/> on <paramref name="socket"/>, echoes it back from <paramref name="served"/>, and returns what came back.</summary>
    public static async Task<byte[]> RoundTripThroughAsync(this Socket socket, Socket served, string text)
    {
        byte[] data = Encoding.ASCII.GetBytes(text);
        await socket.SendAllAsync(data);
        byte[] got = await served.ReadExactlyAsync(data.Length);
        await served.SendAllAsync(got);
        return await socket.ReadExactlyAsync(data.Length);
    }
}
