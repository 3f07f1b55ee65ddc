using System.Net.Sockets;
using Xunit;

namespace Nsock.Core.Tests;

// Lines captured from /proc/net on a little-endian Linux machine (x86-64), read back as ss -tanp and ss -xa show them.
public sealed class ProcNetParserTests
{
    [Fact]
    public void An_ipv4_listener_line_gives_its_address_port_state_queues_and_inode()
    {
        const string line = "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000003 00:00000000 00000000  1000        0 123456 1 0000000000000000 100 0 0 10 0";
        Assert.True(ProcNetParser.TryParseInet(line, Transport.Tcp, out SocketConnection c));
        Assert.Equal(AddressFamily.InterNetwork, c.Family);
        Assert.Equal("127.0.0.1", c.LocalAddress);
        Assert.Equal(8080, c.LocalPort);
        Assert.Equal("0.0.0.0", c.RemoteAddress);
        Assert.Equal(0, c.RemotePort);
        Assert.Equal(ConnectionState.Listen, c.State);
        Assert.Equal(3, c.ReceiveQueue); // a listener's rx_queue: connections waiting to be accepted
        Assert.Equal(0, c.SendQueue);
        Assert.Equal(123456, c.Inode);
        Assert.Null(c.ProcessId);
    }

    [Fact]
    public void An_established_line_gives_both_ends_and_the_byte_queues()
    {
        const string line = "  12: 0302017F:C350 0605047F:0016 01 000001F4:0000000A 01:00000014 00000000  1000        0 98765 4 0000000000000000 20 4 30 10 -1";
        Assert.True(ProcNetParser.TryParseInet(line, Transport.Tcp, out SocketConnection c));
        Assert.Equal("127.1.2.3", c.LocalAddress);
        Assert.Equal(50000, c.LocalPort);
        Assert.Equal("127.4.5.6", c.RemoteAddress);
        Assert.Equal(22, c.RemotePort);
        Assert.Equal(ConnectionState.Established, c.State);
        Assert.Equal(500, c.SendQueue);
        Assert.Equal(10, c.ReceiveQueue);
    }

    [Fact]
    public void Ipv6_addresses_are_four_host_order_words()
    {
        // [::1]:49854 -> [::1]:45851 in TIME_WAIT (no inode), and a dual-stack socket's IPv4-mapped address.
        const string loopback = "   1: 00000000000000000000000001000000:C2BE 00000000000000000000000001000000:B31B 06 00000000:00000000 03:00000C37 00000000     0        0 0 3 00000000ca055f41";
        Assert.True(ProcNetParser.TryParseInet(loopback, Transport.Tcp, out SocketConnection c));
        Assert.Equal(AddressFamily.InterNetworkV6, c.Family);
        Assert.Equal("::1", c.LocalAddress);
        Assert.Equal(49854, c.LocalPort);
        Assert.Equal("::1", c.RemoteAddress);
        Assert.Equal(45851, c.RemotePort);
        Assert.Equal(ConnectionState.TimeWait, c.State);
        Assert.Equal(0, c.Inode);

        const string mapped = "   0: 0000000000000000FFFF00000100007F:8B26 0000000000000000FFFF00000100007F:A1EF 06 00000000:00000000 03:0000133E 00000000     0        0 0 3 000000002b744859";
        Assert.True(ProcNetParser.TryParseInet(mapped, Transport.Tcp, out SocketConnection m));
        Assert.Equal("::ffff:127.0.0.1", m.LocalAddress);
        Assert.Equal(0x8B26, m.LocalPort);

        const string global = "   2: B80D0120000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0";
        Assert.True(ProcNetParser.TryParseInet(global, Transport.Tcp, out SocketConnection g));
        Assert.Equal("2001:db8::1", g.LocalAddress);
        Assert.Equal("::", g.RemoteAddress);
    }

    [Fact]
    public void Udp_lines_are_unconnected_or_connected()
    {
        const string bound = "  305: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 20871 2 0000000000000000 0";
        Assert.True(ProcNetParser.TryParseInet(bound, Transport.Udp, out SocketConnection b));
        Assert.Equal(ConnectionState.Unconnected, b.State);
        Assert.Equal(68, b.LocalPort);
        const string connected = "  306: 0100007F:A000 0100007F:0035 01 00000000:00000100 00:00000000 00000000  1000        0 20872 2 0000000000000000 0";
        Assert.True(ProcNetParser.TryParseInet(connected, Transport.Udp, out SocketConnection c));
        Assert.Equal(ConnectionState.Connected, c.State);
        Assert.Equal(53, c.RemotePort);
        Assert.Equal(256, c.ReceiveQueue);
    }

    [Fact]
    public void Unix_lines_give_the_state_and_the_path_normal_abstract_with_spaces_or_none()
    {
        Assert.True(ProcNetParser.TryParseUnix("00000000d02a0f92: 00000002 00000000 00010000 0001 01 6886763 /tmp/dotnet-diagnostic-31252-853227-socket", out SocketConnection listener));
        Assert.Equal(Transport.Unix, listener.Protocol);
        Assert.Equal(AddressFamily.Unix, listener.Family);
        Assert.Equal(ConnectionState.Listen, listener.State);
        Assert.Equal("/tmp/dotnet-diagnostic-31252-853227-socket", listener.Path);
        Assert.Equal(6886763, listener.Inode);
        Assert.Null(listener.LocalPort);
        Assert.Null(listener.ReceiveQueue);

        Assert.True(ProcNetParser.TryParseUnix("0000000095ebbd02: 00000003 00000000 00000000 0001 03 6608031", out SocketConnection connected));
        Assert.Equal(ConnectionState.Connected, connected.State);
        Assert.Null(connected.Path);

        Assert.True(ProcNetParser.TryParseUnix("ffff8d1c2e4a0000: 00000002 00000000 00000000 0002 01 31337 @/tmp/.X11-unix/X0", out SocketConnection dgram));
        Assert.Equal(ConnectionState.Unconnected, dgram.State);
        Assert.Equal("@/tmp/.X11-unix/X0", dgram.Path);

        Assert.True(ProcNetParser.TryParseUnix("ffff8d1c2e4a0001: 00000002 00000000 00010000 0001 01 31338 /run/my app/a b.sock", out SocketConnection spaced));
        Assert.Equal("/run/my app/a b.sock", spaced.Path);
    }

    [Theory]
    [InlineData("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode")]
    [InlineData("")]
    [InlineData("   0: 0100007F:1F90 00000000:0000 0A 00000000")]
    [InlineData("   0: 0100007:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1 1")]
    [InlineData("   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 12x 1")]
    public void Headers_and_broken_lines_are_left_out(string line)
    {
        Assert.False(ProcNetParser.TryParseInet(line, Transport.Tcp, out _));
    }

    [Theory]
    [InlineData("Num       RefCount Protocol Flags    Type St Inode Path")]
    [InlineData("sock.sock")] // the rest of a path that held a line break
    [InlineData("00000000d02a0f92: 00000002 00000000 00010000 0001 01")]
    public void Unix_headers_and_broken_lines_are_left_out(string line)
    {
        Assert.False(ProcNetParser.TryParseUnix(line, out _));
    }
}
