using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

public class UnixSocketTests
{
    [Fact]
    public async Task Unix_echo_listener_returns_every_byte_and_removes_its_socket_file_on_dispose()
    {
        string path = Loopback.UnixPath();
        Endpoint endpoint = EndpointParser.Parse("unix:" + path);
        RunningListener server = await RunningListener.StartAsync(RunningListener.Echo() with { Endpoint = endpoint });
        try
        {
            Assert.True(File.Exists(path), "the listener made no socket file");
            Assert.Equal(Transport.Unix, server.Listener.Ready.Transport);
            Assert.Equal("unix:" + path, server.Listener.Ready.Endpoint);

            byte[] data = Payload.Bytes(2 << 20, seed: 20);
            using Socket client = await Loopback.ConnectAsync(endpoint);
            Assert.Equal(AddressFamily.Unix, client.AddressFamily);
            Assert.Equal(Payload.Sha256(data), Payload.Sha256(await client.RoundTripAsync(data)));

            ClientConnected connected = (await server.Sink.WaitForAsync<ClientConnected>()).Single();
            Assert.StartsWith("unix:", connected.Remote);
        }
        finally
        {
            await server.DisposeAsync();
        }
        Assert.False(File.Exists(path), "the socket file is still there after Dispose");
    }

    [Fact]
    public async Task Binding_over_an_existing_path_fails_with_a_clear_error_and_leaves_the_file_alone()
    {
        string path = Loopback.UnixPath();
        await File.WriteAllTextAsync(path, "precious");
        try
        {
            var options = RunningListener.Echo() with { Endpoint = EndpointParser.Parse("unix:" + path) };
            var e = await Assert.ThrowsAsync<NsockException>(() => Listener.BindAsync(options, default).WaitAsync(Limits.Wait));
            Assert.Equal(NsockErrorKind.Io, e.Kind);
            Assert.Contains("already in use", e.Message);
            Assert.Contains(path, e.Message);
            Assert.Equal("precious", await File.ReadAllTextAsync(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Binding_over_a_live_listeners_socket_fails_and_the_first_keeps_serving()
    {
        string path = Loopback.UnixPath();
        var options = RunningListener.Echo() with { Endpoint = EndpointParser.Parse("unix:" + path) };
        await using RunningListener server = await RunningListener.StartAsync(options);

        var e = await Assert.ThrowsAsync<NsockException>(() => Listener.BindAsync(options, default).WaitAsync(Limits.Wait));
        Assert.Equal(NsockErrorKind.Io, e.Kind);

        using Socket client = await Loopback.ConnectAsync(options.Endpoint);
        Assert.Equal(new byte[] { 9 }, await client.RoundTripAsync(new byte[] { 9 }));
    }

    [Fact]
    public async Task Connecting_to_a_unix_path_with_no_socket_is_refused()
    {
        string path = Loopback.UnixPath();
        var e = await Assert.ThrowsAsync<NsockException>(() => Loopback.ConnectAsync(EndpointParser.Parse("unix:" + path)));
        Assert.Equal(NsockErrorKind.Refused, e.Kind);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public async Task Connecting_to_a_socket_file_nobody_listens_on_is_refused()
    {
        // Like a listener that died without cleaning up: the socket file exists, but nothing accepts on it.
        // (A socket bound and never listened on; .NET would delete the file if the socket were closed.)
        string path = Loopback.UnixPath();
        using var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        dead.Bind(new UnixDomainSocketEndPoint(path));
        try
        {
            Assert.True(File.Exists(path));
            var e = await Assert.ThrowsAsync<NsockException>(() => Loopback.ConnectAsync(EndpointParser.Parse("unix:" + path)));
            Assert.Equal(NsockErrorKind.Refused, e.Kind);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
