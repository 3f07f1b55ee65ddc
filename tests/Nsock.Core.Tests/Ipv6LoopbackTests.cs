using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

public class Ipv6LoopbackTests
{
    [Ipv6Fact]
    public async Task Echo_listener_on_ipv6_loopback_serves_a_client_connecting_to_it()
    {
        await using RunningListener server = await RunningListener.StartAsync(RunningListener.Echo(host: "::1"));
        Assert.Equal("::1", server.Listener.Ready.Address);
        Assert.Equal($"tcp://[::1]:{server.Port}", server.Listener.Ready.Endpoint);

        Endpoint endpoint = EndpointParser.Parse($"[::1]:{server.Port}");
        using Socket client = await Loopback.ConnectAsync(endpoint);
        Assert.Equal(AddressFamily.InterNetworkV6, client.AddressFamily);
        byte[] data = Payload.Bytes(1 << 20, seed: 30);
        Assert.Equal(Payload.Sha256(data), Payload.Sha256(await client.RoundTripAsync(data)));

        ClientConnected connected = (await server.Sink.WaitForAsync<ClientConnected>()).Single();
        Assert.StartsWith("[::1]:", connected.Remote);
        Assert.Equal($"[::1]:{server.Port}", connected.Local);
    }

    [Ipv6Fact]
    public async Task Udp_echo_on_ipv6_loopback_answers()
    {
        await using RunningListener server = await RunningListener.StartAsync(RunningListener.Echo(Transport.Udp, "::1"));
        using Socket client = await Loopback.ConnectAsync(EndpointParser.Parse($"udp://[::1]:{server.Port}"));
        await client.SendAsync(new byte[] { 6, 6 }, SocketFlags.None);
        using var cts = new System.Threading.CancellationTokenSource(Limits.Wait);
        var buffer = new byte[16];
        Assert.Equal(2, await client.ReceiveAsync(buffer, SocketFlags.None, cts.Token));
        Assert.Equal(6, buffer[1]);
    }

    [Ipv6Fact]
    public async Task Connect_with_v6_only_to_an_ipv6_loopback_listener_works_and_with_v4_only_is_bad_input()
    {
        using var listener = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        listener.Listen();
        Endpoint endpoint = new(Transport.Tcp, "::1", listener.Port());
        Task<Socket> accepting = listener.AcceptBoundedAsync();

        using Socket client = await Connector.ConnectAsync(endpoint, new ConnectOptions { IpVersion = IpVersion.V6 }, default).WaitAsync(Limits.Wait);
        using Socket peer = await accepting;
        Assert.Equal(IPAddress.IPv6Loopback, ((IPEndPoint)peer.RemoteEndPoint!).Address);

        var e = await Assert.ThrowsAsync<NsockException>(() => Connector.ConnectAsync(endpoint, new ConnectOptions { IpVersion = IpVersion.V4 }, default).WaitAsync(Limits.Wait));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
    }

    [Ipv6Fact]
    public async Task Connecting_to_a_closed_ipv6_loopback_port_is_refused()
    {
        int port;
        using (var s = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp))
        {
            s.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            port = s.Port();
        }
        var e = await Assert.ThrowsAsync<NsockException>(() => Loopback.ConnectAsync(new Endpoint(Transport.Tcp, "::1", port)));
        Assert.Equal(NsockErrorKind.Refused, e.Kind);
        Assert.Contains($"[::1]:{port}", e.Message);
    }
}
