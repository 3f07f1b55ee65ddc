using System;
using System.Net;
using System.Net.Sockets;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// The helper the UDP probe and the UDP ping share: with IP_RECVERR each ICMP error a connected UDP socket draws is
/// queued on it, and a drain counts and empties that queue, so a ping charges every probe answered and a long run
/// of errors never fills the receive buffer the replies need.
/// </summary>
public class UdpIcmpErrorsTests
{
    private const int Datagrams = 5;

    [LinuxFact]
    public void Drain_counts_each_icmp_port_unreachable_once_and_empties_the_queue()
    {
        using Socket s = ConnectedToClosedPort(reportUnreachable: true);
        for (int i = 0; i < Datagrams; i++) SendAndMeetTheRefusal(s); // the receive reports each, the queue keeps them

        int drained = UdpIcmpErrors.Drain(s);

        Assert.Equal(Datagrams, drained);
        Assert.Equal(0, UdpIcmpErrors.Drain(s));
    }

    [LinuxFact]
    public void Without_ip_recverr_there_is_no_queue_to_drain()
    {
        using Socket s = ConnectedToClosedPort(reportUnreachable: false);
        for (int i = 0; i < Datagrams; i++) SendAndMeetTheRefusal(s);

        Assert.Equal(0, UdpIcmpErrors.Drain(s));
    }

    [Fact]
    public void Host_and_network_unreachable_are_unreachable_and_port_unreachable_is_not()
    {
        Assert.True(UdpIcmpErrors.IsUnreachable(SocketError.HostUnreachable));
        Assert.True(UdpIcmpErrors.IsUnreachable(SocketError.NetworkUnreachable));
        Assert.False(UdpIcmpErrors.IsUnreachable(SocketError.ConnectionRefused));
        Assert.False(UdpIcmpErrors.IsUnreachable(SocketError.ConnectionReset));
    }

    private static Socket ConnectedToClosedPort(bool reportUnreachable)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Connect(new IPEndPoint(IPAddress.Loopback, TestLoopback.ClosedUdpPort()));
        if (reportUnreachable) UdpIcmpErrors.ReportUnreachable(s);
        return s;
    }

    // One datagram, then the receive that reports its ICMP port unreachable (before the next send, which would
    // otherwise report it instead of going out).
    private static void SendAndMeetTheRefusal(Socket s)
    {
        s.Send(new byte[] { 1 });
        s.ReceiveTimeout = 5000;
        var e = Assert.Throws<SocketException>(() => s.Receive(new byte[16]));
        Assert.Equal(SocketError.ConnectionRefused, e.SocketErrorCode);
    }
}
