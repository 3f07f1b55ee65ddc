using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

// Loopback plumbing shared by the ping and probe tests: free ports found by binding port 0, and bounded waits.
internal static class TestLoopback
{
    private static readonly Lazy<bool> Ipv6 = new(() =>
    {
        try
        {
            using var s = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    });

    /// <summary>True when this machine can bind [::1].</summary>
    public static bool HasIpv6Loopback => Ipv6.Value;

    /// <summary>A UDP port on 127.0.0.1 that nothing listens on (bound to learn a free one, then closed).</summary>
    public static int ClosedUdpPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on (connections to it are refused; see Loopback).</summary>
    public static int ClosedTcpPort() => Loopback.ClosedTcpPort();

    /// <summary>A plain TCP listener on 127.0.0.1 (port 0, or <paramref name="port"/> rebound with ReuseAddress). It never accepts: the kernel completes handshakes into the backlog.</summary>
    /// <summary>
    /// A TCP listener on a free port below the kernel's ephemeral range (where port-0 binds land), for a test that
    /// probes the ports around its own: probing around an ephemeral port would connect to other tests' listeners
    /// (which then saw strangers' connections). Tries random ports, each bind checked by the kernel.
    /// </summary>
    public static Socket ListenTcpBelowEphemeralRange()
    {
        int lowest = 32768;
        try
        {
            string[] range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            lowest = int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // Not Linux: IANA's dynamic range starts at 49152; 32768 is below both.
        }
        var random = new Random();
        for (int attempt = 0; attempt < 100; attempt++)
        {
            int port = random.Next(10_000, Math.Max(10_001, lowest - 300));
            try
            {
                return ListenTcp(port);
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }
        throw new InvalidOperationException("no free port below the ephemeral range after 100 tries");
    }

    public static Socket ListenTcp(int port = 0)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            s.Bind(new IPEndPoint(IPAddress.Loopback, port));
            s.Listen(512);
            return s;
        }
        catch
        {
            s.Dispose();
            throw;
        }
    }

    public static int PortOf(Socket s) => ((IPEndPoint)s.LocalEndPoint!).Port;

    /// <summary>Waits for <paramref name="task"/> at most <paramref name="seconds"/>, so a hang fails the test instead of stalling the run.</summary>
    public static async Task<T> Within<T>(this Task<T> task, double seconds)
    {
        try
        {
            return await task.WaitAsync(TimeSpan.FromSeconds(seconds));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the operation did not finish within {seconds} s");
        }
    }
}

/// <summary>A fact that needs [::1]; skipped, saying why, where the OS has no IPv6 loopback.</summary>
internal sealed class Ipv6LoopbackFactAttribute : FactAttribute
{
    public Ipv6LoopbackFactAttribute()
    {
        if (!TestLoopback.HasIpv6Loopback) Skip = "this machine has no IPv6 loopback (cannot bind [::1])";
    }
}
