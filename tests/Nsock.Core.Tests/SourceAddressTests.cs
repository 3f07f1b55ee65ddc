using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

// --source ADDR[:PORT] (nc -s/-p): every connecting verb binds its socket before it connects.
public class SourceAddressTests
{
    private static ConnectTarget To(int port, string? source) => new() { Endpoint = $"127.0.0.1:{port}", Source = source };

    [Fact]
    public async Task Connect_from_a_source_port_reaches_the_peer_from_that_port()
    {
        using Socket listener = Loopback.ListenTcp();
        int source = Loopback.ClosedTcpPort();
        ConnectPlan plan = new ConnectRequest { Target = To(listener.Port(), $"127.0.0.1:{source}") }.Validate(PlainOptionNames.Instance);

        Task<RelayResult> run = plan.RunAsync(new MemoryStream(Encoding.ASCII.GetBytes("hi")), Stream.Null, new RecordingSink(), CancellationToken.None);
        using Socket served = await listener.AcceptBoundedAsync();
        Assert.Equal(source, ((IPEndPoint)served.RemoteEndPoint!).Port);
        Assert.Equal("hi", Encoding.ASCII.GetString(await served.ReadToEndAsync()));
        served.Shutdown(SocketShutdown.Send);
        Assert.Null((await run.WaitAsync(Limits.Wait)).Error);
    }

    [Fact]
    public async Task A_source_port_can_be_used_again_at_once_while_the_last_connection_from_it_sits_in_time_wait()
    {
        // We close first, so our end of the first connection stays in TIME_WAIT: without SO_REUSEADDR the second
        // bind of the same port fails with "address in use".
        using Socket first = Loopback.ListenTcp();
        using Socket second = Loopback.ListenTcp();
        int source = Loopback.ClosedTcpPort();
        var options = new ConnectOptions { SourcePort = source, Timeout = Limits.Wait };

        Socket a = await Connector.ConnectAsync(Loopback.Tcp(first.Port()), options, CancellationToken.None);
        using (Socket servedA = await first.AcceptBoundedAsync())
        {
            a.Shutdown(SocketShutdown.Send); // our FIN first: our end goes to TIME_WAIT
            await servedA.ReadToEndAsync();
            servedA.Shutdown(SocketShutdown.Send);
            await a.ReadToEndAsync();
            a.Dispose();
        }
        using Socket b = await Connector.ConnectAsync(Loopback.Tcp(second.Port()), options, CancellationToken.None);
        using Socket servedB = await second.AcceptBoundedAsync();

        Assert.Equal(source, ((IPEndPoint)servedB.RemoteEndPoint!).Port);
    }

    [Fact]
    public async Task A_source_address_of_the_loopback_block_is_the_address_the_peer_sees()
    {
        using Socket listener = Loopback.ListenTcp();
        SendPlan plan = new SendRequest { Target = To(listener.Port(), "127.0.0.2") }.Validate(PlainOptionNames.Instance);

        Task<SendResult> run = plan.RunAsync(new MemoryStream(new byte[] { 1 }), null, new RecordingSink(), CancellationToken.None);
        using Socket served = await listener.AcceptBoundedAsync();
        Assert.Equal(IPAddress.Parse("127.0.0.2"), ((IPEndPoint)served.RemoteEndPoint!).Address);
        await served.ReadToEndAsync();
        served.Shutdown(SocketShutdown.Send);
        await run.WaitAsync(Limits.Wait);
    }

    [Ipv6Fact]
    public async Task An_ipv6_source_address_and_port_reach_an_ipv6_peer()
    {
        using var listener = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        listener.Listen(4);
        int source = Loopback.ClosedTcpPort();
        ConnectPlan plan = new ConnectRequest { Target = new ConnectTarget { Endpoint = $"[::1]:{listener.Port()}", Source = $"[::1]:{source}" } }.Validate(PlainOptionNames.Instance);

        Task<RelayResult> run = plan.RunAsync(Stream.Null, Stream.Null, new RecordingSink(), CancellationToken.None);
        using Socket served = await listener.AcceptBoundedAsync();
        var remote = (IPEndPoint)served.RemoteEndPoint!;
        Assert.Equal(IPAddress.IPv6Loopback, remote.Address);
        Assert.Equal(source, remote.Port);
        served.Shutdown(SocketShutdown.Send);
        await run.WaitAsync(Limits.Wait);
    }

    [Theory]
    [InlineData("127.0.0.1:4000", "127.0.0.1", 4000)]
    [InlineData(":4000", null, 4000)]
    [InlineData("127.0.0.2", "127.0.0.2", 0)]
    [InlineData("[::1]:4000", "::1", 4000)]
    [InlineData("[::1]", "::1", 0)]
    [InlineData("::1", "::1", 0)]
    public void A_source_is_an_address_a_port_or_both(string text, string? address, int port)
    {
        ConnectOptions o = new ConnectTarget { Endpoint = address is not null && address.Contains(':') ? "[::1]:9" : "127.0.0.1:9", Source = text }.ConnectOptions(PlainOptionNames.Instance);
        Assert.Equal(address is null ? null : IPAddress.Parse(address), o.SourceAddress);
        Assert.Equal(port, o.SourcePort);
    }

    [Theory]
    [InlineData("localhost", "not an IP address")]
    [InlineData("4000", ":PORT")]
    [InlineData("127.0.0.1:70000", "0-65535")]
    [InlineData("127.0.0.1:x", "0-65535")]
    [InlineData("[::1", "']'")]
    [InlineData("", "empty")]
    public void A_bad_source_is_bad_input_that_names_the_option(string text, string says)
    {
        var e = Assert.Throws<NsockException>(() => new ConnectRequest { Target = To(9, text) }.Validate(PlainOptionNames.Instance));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains("source", e.Message);
        Assert.Contains(says, e.Message);
    }

    [Fact]
    public async Task A_source_of_the_other_family_than_the_target_is_bad_input_naming_both()
    {
        ConnectPlan plan = new ConnectRequest { Target = To(9, "::1") }.Validate(PlainOptionNames.Instance);
        var e = await Assert.ThrowsAsync<NsockException>(() => plan.RunAsync(Stream.Null, Stream.Null, new RecordingSink(), CancellationToken.None));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains("IPv6", e.Message);
        Assert.Contains("IPv4", e.Message);
    }

    [Fact]
    public void A_source_against_the_family_flag_is_bad_input()
    {
        var e = Assert.Throws<NsockException>(() => new ConnectRequest { Target = To(9, "127.0.0.1") with { IPv6 = true } }.Validate(PlainOptionNames.Instance));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains("IPv4", e.Message);
        Assert.Contains(PlainOptionNames.Instance.Option(NsockOption.IPv6), e.Message);
    }

    [Fact]
    public async Task A_unix_socket_takes_no_source()
    {
        ConnectPlan plan = new ConnectRequest { Target = new ConnectTarget { Endpoint = "unix:/tmp/nsock-no-such.sock", Source = ":4000" } }.Validate(PlainOptionNames.Instance);
        var e = await Assert.ThrowsAsync<NsockException>(() => plan.RunAsync(Stream.Null, Stream.Null, new RecordingSink(), CancellationToken.None));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains("TCP and UDP", e.Message);
    }

    [Fact]
    public async Task A_source_address_that_is_not_this_machines_is_bad_input()
    {
        // 192.0.2.1 (TEST-NET-1) is never a local address; binding it fails before any packet could leave.
        ConnectPlan plan = new ConnectRequest { Target = To(9, "192.0.2.1") }.Validate(PlainOptionNames.Instance);
        var e = await Assert.ThrowsAsync<NsockException>(() => plan.RunAsync(Stream.Null, Stream.Null, new RecordingSink(), CancellationToken.None));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains("not an address of this machine", e.Message);
    }

    [Fact]
    public async Task Tcp_ping_probes_every_time_from_the_same_source_port()
    {
        using Socket listener = Loopback.ListenTcp();
        int source = Loopback.ClosedTcpPort();
        PingPlan plan = new PingRequest { Target = To(listener.Port(), $":{source}"), Tcp = true, Count = 3, Interval = 0 }.Validate(PlainOptionNames.Instance);

        PingOutcome outcome = await plan.RunAsync(new RecordingSink(), CancellationToken.None).WaitAsync(Limits.Wait);

        Assert.Equal(3, outcome.Summary.Received);
        for (int i = 0; i < 3; i++)
        {
            using Socket served = await listener.AcceptBoundedAsync();
            Assert.Equal(source, ((IPEndPoint)served.RemoteEndPoint!).Port);
        }
    }

    [Fact]
    public async Task Udp_ping_probes_come_from_the_source_port()
    {
        using var responder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        responder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int source = Loopback.ClosedUdpPort();
        int seenPort = 0;
        Task echo = Task.Run(() =>
        {
            var buffer = new byte[2048];
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            responder.ReceiveTimeout = (int)Limits.Wait.TotalMilliseconds;
            int n = responder.ReceiveFrom(buffer, ref from);
            seenPort = ((IPEndPoint)from).Port;
            responder.SendTo(buffer, n, SocketFlags.None, from);
        });
        PingPlan plan = new PingRequest { Target = new ConnectTarget { Endpoint = $"127.0.0.1:{responder.Port()}", Udp = true, Source = $"127.0.0.1:{source}" }, Count = 1 }.Validate(PlainOptionNames.Instance);

        PingOutcome outcome = await plan.RunAsync(new RecordingSink(), CancellationToken.None).WaitAsync(Limits.Wait);

        await echo.WaitAsync(Limits.Wait);
        Assert.Equal(source, seenPort);
        Assert.Equal(1, outcome.Summary.Received);
    }

    [Fact]
    public async Task Probes_of_several_ports_at_once_all_come_from_the_one_source_port()
    {
        using Socket a = Loopback.ListenTcp();
        using Socket b = Loopback.ListenTcp();
        int source = Loopback.ClosedTcpPort();
        ProbePlan plan = new ProbeRequest
        {
            Groups = new[] { new PortProbeGroup(new[] { "127.0.0.1" }, new[] { a.Port(), b.Port() }) },
            Source = $":{source}",
        }.Validate(PlainOptionNames.Instance);

        ProbeOutcome outcome = await plan.RunAsync(new RecordingSink(), CancellationToken.None).WaitAsync(Limits.Wait);

        Assert.True(outcome.AllOpen, string.Join("; ", outcome.Results.Select(r => $"{r.Port} {r.State} {r.Detail}")));
        using Socket servedA = await a.AcceptBoundedAsync();
        using Socket servedB = await b.AcceptBoundedAsync();
        Assert.Equal(source, ((IPEndPoint)servedA.RemoteEndPoint!).Port);
        Assert.Equal(source, ((IPEndPoint)servedB.RemoteEndPoint!).Port);
    }

    [Fact]
    public async Task A_probe_from_an_ipv4_source_to_an_ipv6_target_is_refused_before_probing()
    {
        var e = Assert.Throws<NsockException>(() => new ProbeRequest
        {
            Groups = new[] { new PortProbeGroup(new[] { "::1" }, new[] { 9 }) },
            Source = "127.0.0.1",
        }.Validate(PlainOptionNames.Instance));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task An_http_request_comes_from_the_source_port()
    {
        using Socket listener = Loopback.ListenTcp();
        int source = Loopback.ClosedTcpPort();
        HttpPlan plan = new HttpRequest { Url = $"http://127.0.0.1:{listener.Port()}/", Source = $"127.0.0.1:{source}" }.Validate(PlainOptionNames.Instance);

        Task<HttpOutcome> run = plan.RunAsync(null, null, new RecordingSink(), CancellationToken.None);
        using Socket served = await listener.AcceptBoundedAsync();
        int seen = ((IPEndPoint)served.RemoteEndPoint!).Port;
        await served.SendAllAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
        served.Shutdown(SocketShutdown.Send);
        await run.WaitAsync(Limits.Wait);

        Assert.Equal(source, seen);
    }
}
