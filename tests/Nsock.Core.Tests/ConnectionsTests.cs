using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

// nsock conns' engine against sockets this test holds: every one must be listed, with its state, ports, queues and
// this process as its owner. Filters always include this process and the test's own ports, so other tests'
// sockets (running in parallel) never change the counts.
public sealed class ConnectionsTests
{
    private static readonly int s_pid = Environment.ProcessId;

    private static IReadOnlyList<SocketConnection> List(ConnectionsRequest request) => request.Validate(PlainOptionNames.Instance).List();

    [LinuxFact]
    public async Task Every_held_tcp_connection_is_listed_with_its_state_ports_and_this_process()
    {
        const int n = 20;
        using Socket listener = Loopback.ListenTcp();
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var clients = new List<Socket>();
        var accepted = new List<Socket>();
        try
        {
            for (int i = 0; i < n; i++)
            {
                var c = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                clients.Add(c);
                await c.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
                accepted.Add(await listener.AcceptAsync());
            }
            // 100 bytes the server side never reads: its receive queue shows them.
            clients[0].Send(new byte[100]);
            int clientPort = ((IPEndPoint)clients[0].LocalEndPoint!).Port;

            IReadOnlyList<SocketConnection> all = await Eventually(
                () => List(new ConnectionsRequest { Tcp = true, Ports = new[] { port }, ProcessIds = new[] { s_pid } }),
                l => l.Any(c => c.LocalPort == port && c.RemotePort == clientPort && c.ReceiveQueue == 100));

            Assert.All(all, c =>
            {
                Assert.Equal(Transport.Tcp, c.Protocol);
                Assert.Equal(s_pid, c.ProcessId);
                Assert.False(string.IsNullOrEmpty(c.ProcessName));
                Assert.NotEqual(0, c.Inode);
            });
            SocketConnection listening = Assert.Single(all, c => c.State == ConnectionState.Listen);
            Assert.Equal("127.0.0.1", listening.LocalAddress);
            Assert.Equal(port, listening.LocalPort);
            Assert.Equal(0, listening.RemotePort);

            // Only our clients' connections are counted: another test in this process may probe the ports around
            // its own and reach this listener (a stranger's connection then waits in its accept queue).
            var ours = clients.Select(c => ((IPEndPoint)c.LocalEndPoint!).Port).ToHashSet();
            var clientEnds = all.Where(c => c.RemotePort == port && ours.Contains(c.LocalPort ?? 0)).ToList();
            var serverEnds = all.Where(c => c.LocalPort == port && c.State != ConnectionState.Listen && ours.Contains(c.RemotePort ?? 0)).ToList();
            Assert.True(clientEnds.Count == n, $"{clientEnds.Count} client ends of {n}:\n{string.Join("\n", clientEnds)}");
            Assert.True(serverEnds.Count == n, $"{serverEnds.Count} server ends of {n}:\n{string.Join("\n", serverEnds)}");
            Assert.All(clientEnds.Concat(serverEnds), c => Assert.Equal(ConnectionState.Established, c.State));
            Assert.Equal(clients.Select(c => ((IPEndPoint)c.LocalEndPoint!).Port).OrderBy(p => p), clientEnds.Select(c => c.LocalPort!.Value).OrderBy(p => p));
            Assert.All(clientEnds, c => Assert.Equal(0, c.SendQueue)); // loopback acknowledges at once
        }
        finally
        {
            foreach (Socket s in clients.Concat(accepted)) s.Dispose();
        }
    }

    [LinuxFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void A_socket_read_twice_from_the_kernel_table_is_listed_once()
    {
        using Socket listener = Loopback.ListenTcp();
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        ConnectionFilter filter = new ConnectionsRequest { Tcp = true, Ports = new[] { port } }.Validate(PlainOptionNames.Instance).Filter;
        SocketConnection row = Assert.Single(List(new ConnectionsRequest { Tcp = true, Ports = new[] { port } }));
        Assert.NotEqual(0, row.Inode);

        List<SocketConnection> listed = LinuxConnectionTable.WithOwners(new List<SocketConnection> { row, row with { ProcessId = null } }, filter);

        Assert.Single(listed);
    }

    [LinuxFact]
    public void Udp_sockets_are_unconnected_until_connected_and_listening_takes_the_unconnected_ones()
    {
        using var bound = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        bound.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int boundPort = ((IPEndPoint)bound.LocalEndPoint!).Port;
        using var connected = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        connected.Connect(new IPEndPoint(IPAddress.Loopback, boundPort));
        int connectedPort = ((IPEndPoint)connected.LocalEndPoint!).Port;

        IReadOnlyList<SocketConnection> all = List(new ConnectionsRequest { Udp = true, Ports = new[] { boundPort }, ProcessIds = new[] { s_pid } });
        Assert.Equal(2, all.Count);
        SocketConnection b = Assert.Single(all, c => c.LocalPort == boundPort);
        Assert.Equal(ConnectionState.Unconnected, b.State);
        Assert.Equal(Transport.Udp, b.Protocol);
        Assert.Equal(s_pid, b.ProcessId);
        SocketConnection c = Assert.Single(all, c => c.LocalPort == connectedPort);
        Assert.Equal(ConnectionState.Connected, c.State);
        Assert.Equal(boundPort, c.RemotePort);

        IReadOnlyList<SocketConnection> listening = List(new ConnectionsRequest { Udp = true, Listening = true, Ports = new[] { boundPort }, ProcessIds = new[] { s_pid } });
        Assert.Equal(boundPort, Assert.Single(listening).LocalPort);
    }

    [LinuxFact]
    public async Task Unix_listeners_and_connections_are_listed_with_their_path_only_when_asked()
    {
        string path = Loopback.UnixPath();
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(4);
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await client.ConnectAsync(new UnixDomainSocketEndPoint(path));
            using Socket server = await listener.AcceptAsync();

            IReadOnlyList<SocketConnection> mine = List(new ConnectionsRequest { Unix = true, ProcessIds = new[] { s_pid } });
            SocketConnection l = Assert.Single(mine, c => c.Path == path && c.State == ConnectionState.Listen);
            Assert.Equal(AddressFamily.Unix, l.Family);
            Assert.Null(l.LocalPort);
            Assert.Equal(s_pid, l.ProcessId);
            // The accepted end carries the listener's path; the client's end has none. Both are connected.
            Assert.Contains(mine, c => c.Path == path && c.State == ConnectionState.Connected);
            Assert.Contains(mine, c => c.Path is null && c.State == ConnectionState.Connected);

            Assert.DoesNotContain(List(new ConnectionsRequest { ProcessIds = new[] { s_pid } }), c => c.Protocol == Transport.Unix);
            Assert.Contains(List(new ConnectionsRequest { Unix = true, Listening = true, ProcessIds = new[] { s_pid } }), c => c.Path == path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Ipv6Fact]
    public async Task Ipv6_sockets_are_listed_and_the_family_filters_keep_them_apart()
    {
        using var listener = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        listener.Listen(4);
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        using var client = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.IPv6Loopback, port));
        using Socket server = await listener.AcceptAsync();

        var request = new ConnectionsRequest { Ports = new[] { port }, ProcessIds = new[] { s_pid } };
        IReadOnlyList<SocketConnection> v6 = List(request with { IPv6 = true });
        Assert.Equal(3, v6.Count);
        Assert.All(v6, c => Assert.Equal("::1", c.LocalAddress));
        Assert.All(v6, c => Assert.Equal(AddressFamily.InterNetworkV6, c.Family));
        Assert.Empty(List(request with { IPv4 = true }));
        Assert.Single(List(request with { States = new[] { "LISTEN" } }));
        Assert.Equal(2, List(request with { States = new[] { "estab" } }).Count);
    }

    [LinuxFact]
    public void Another_process_id_keeps_none_of_this_processes_sockets()
    {
        using Socket listener = Loopback.ListenTcp();
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        Assert.Single(List(new ConnectionsRequest { Tcp = true, Listening = true, Ports = new[] { port } }));
        // PID 1 (init) holds no socket on this test's port.
        Assert.Empty(List(new ConnectionsRequest { Tcp = true, Listening = true, Ports = new[] { port }, ProcessIds = new[] { 1 } }));
        // The state filter keeps TIME_WAIT only, so not the listener. (Not "empty": a stranger's finished connection
        // to an earlier holder of this port may still be in TIME_WAIT; one was, once in a full run.)
        Assert.All(List(new ConnectionsRequest { Ports = new[] { port }, States = new[] { "time-wait" } }),
            c => Assert.Equal(ConnectionState.TimeWait, c.State));
    }

    [LinuxFact]
    public async Task A_watch_lists_first_then_sees_a_connection_open_and_close()
    {
        using Socket listener = Loopback.ListenTcp();
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        ConnectionsPlan plan = new ConnectionsRequest { Tcp = true, Ports = new[] { port }, Interval = 0.05 }.Validate(PlainOptionNames.Instance);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Socket? client = null, server = null;
        int clientPort = 0;
        var seen = new List<ConnectionChange>();
        try
        {
            int sweep = 0;
            // Only this test's sockets count: a stranger's finished connection to an earlier holder of the port can
            // still be in TIME_WAIT (one was listed once in a fresh-clone CI run).
            await foreach (ConnectionSweep s in plan.WatchAsync(cts.Token))
            {
                seen.AddRange(s.Changes.Where(c => clientPort != 0 && (c.Connection.LocalPort == clientPort || c.Connection.RemotePort == clientPort)));
                if (sweep++ == 0)
                {
                    ConnectionChange listed = Assert.Single(s.Changes, c => c.Connection.State == ConnectionState.Listen);
                    Assert.Equal(ConnectionChangeKind.Listed, listed.Change);
                    Assert.Equal("listed", listed.Event);
                    Assert.All(s.Changes, c => Assert.Equal(ConnectionChangeKind.Listed, c.Change));
                    Assert.Single(s.Current, c => c.State == ConnectionState.Listen);
                    client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
                    clientPort = ((IPEndPoint)client.LocalEndPoint!).Port;
                    server = await listener.AcceptAsync();
                }
                else if (server is not null && seen.Count(c => c.Change == ConnectionChangeKind.Opened) >= 2)
                {
                    // Both ends seen: the server end closes first (its side goes to FIN_WAIT, the client's to CLOSE_WAIT),
                    // then the client's, after which the server's end lingers in TIME_WAIT while the client's is gone.
                    server.Dispose();
                    server = null;
                    await Task.Delay(50);
                    client!.Dispose();
                }
                if (seen.Any(c => c.Change == ConnectionChangeKind.Closed && c.Connection.LocalPort == clientPort)) break;
            }
        }
        finally
        {
            client?.Dispose();
            server?.Dispose();
        }
        Assert.Equal(2, seen.Count(c => c.Change == ConnectionChangeKind.Opened));
        Assert.Contains(seen, c => c.Change == ConnectionChangeKind.Opened && c.Connection.LocalPort == clientPort && c.Connection.State == ConnectionState.Established && c.Event == "opened");
        ConnectionChange closed = Assert.Single(seen, c => c.Change == ConnectionChangeKind.Closed);
        Assert.Equal("closed", closed.Event);
        Assert.Contains(seen, c => c.Change == ConnectionChangeKind.State && c.PreviousState == ConnectionState.Established && c.Event == "state");
    }

    [Theory]
    [InlineData("bogus", null, null, false, false, "states 'bogus' is not a socket state")]
    [InlineData(null, 0, null, false, false, "socket-ports 0 is out of range (1-65535)")]
    [InlineData(null, null, 0, false, false, "process-id 0 is not a process id")]
    [InlineData(null, null, null, true, false, "unix sockets have no IP version: leave out ipv4")]
    [InlineData("listen", null, null, false, true, "give listening or states, not both")]
    public void Bad_filters_are_refused_naming_the_option(string? state, int? port, int? pid, bool unixV4, bool listening, string message)
    {
        var request = new ConnectionsRequest
        {
            States = state is null ? Array.Empty<string>() : new[] { state },
            Ports = port is int p ? new[] { p } : Array.Empty<int>(),
            ProcessIds = pid is int i ? new[] { i } : Array.Empty<int>(),
            Unix = unixV4,
            IPv4 = unixV4,
            Listening = listening,
        };
        NsockException e = Assert.Throws<NsockException>(() => request.Validate(PlainOptionNames.Instance));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_watch_interval_must_be_more_than_zero()
    {
        Assert.Contains("watch-interval must be more than 0", Assert.Throws<NsockException>(() => new ConnectionsRequest { Interval = 0 }.Validate(PlainOptionNames.Instance)).Message);
        Assert.Contains("watch-interval must be 0 or a positive", Assert.Throws<NsockException>(() => new ConnectionsRequest { Interval = -1 }.Validate(PlainOptionNames.Instance)).Message);
        Assert.Equal(TimeSpan.FromSeconds(1), new ConnectionsRequest().Validate(PlainOptionNames.Instance).Interval);
    }

    private static async Task<IReadOnlyList<SocketConnection>> Eventually(Func<IReadOnlyList<SocketConnection>> list, Func<IReadOnlyList<SocketConnection>, bool> done)
    {
        IReadOnlyList<SocketConnection> last = list();
        for (int i = 0; i < 100 && !done(last); i++)
        {
            await Task.Delay(50);
            last = list();
        }
        Assert.True(done(last), "the sockets never reached the state the test waited for");
        return last;
    }
}
