using System;
using System.Net.Sockets;

namespace Nsock.Core;

// What a connected UDP socket learns from the ICMP errors its datagrams draw, for the UDP probe and the UDP ping alike.
internal static class UdpIcmpErrors
{
    // Bounds one drain: the queue holds what fits in the receive buffer (about 250 entries by default).
    private const int MaxDrained = 4096;

    /// <summary>
    /// Asks the OS to tell this connected UDP socket every ICMP unreachable its datagrams draw. ICMP host and network
    /// unreachable are "soft" errors (RFC 1122 4.2.3.9): Linux passes them to a connected UDP socket only with
    /// IP_RECVERR (IPV6_RECVERR); without it a host that answers "unreachable" looks like one that stays silent
    /// (a probe read open|filtered, a ping lost its probes to the timeout). Other systems report them anyway.
    /// </summary>
    public static void ReportUnreachable(Socket s)
    {
#if NET
        if (!OperatingSystem.IsLinux()) return;
        bool v6 = s.AddressFamily == AddressFamily.InterNetworkV6;
        s.SetRawSocketOption(v6 ? 41 : 0, v6 ? 25 : 11, BitConverter.GetBytes(1)); // IPPROTO_IPV6/IPV6_RECVERR, IPPROTO_IP/IP_RECVERR
#endif
    }

    /// <summary>
    /// True for an ICMP answer that says the host or its network cannot be reached (not port unreachable). Linux
    /// reports ICMP host/network prohibited (and IPv6's administratively prohibited) as EACCES: on a receive only an
    /// ICMP answer sets it; a send can also meet a local EACCES, so the ping checks the error queue there.
    /// </summary>
    public static bool IsUnreachable(SocketError error) =>
        error == SocketError.AccessDenied || SocketErrors.KindOf(error) == NsockErrorKind.Unreachable;

    /// <summary>An ICMP error in the user's words: the TCP probe's for the same errno, "administratively prohibited" for EACCES.</summary>
    public static string Describe(SocketError error) =>
        error == SocketError.AccessDenied ? "administratively prohibited" : SocketErrors.Describe(error);

    /// <summary>
    /// After a receive or send reported an ICMP error: empties the socket's error queue and returns how many ICMP
    /// errors it held (0 where there is none: not Linux, or no IP_RECVERR). With IP_RECVERR Linux also queues each
    /// ICMP error there, charged to the receive buffer, while the receive reports only the last one: a socket that
    /// meets many (a ping of a closed port) would otherwise fill its buffer with them and drop the replies it waits
    /// for. Each entry is one ICMP error, so the count is how many datagrams were answered with one.
    /// </summary>
    public static int Drain(Socket s)
    {
#if NET
        if (!OperatingSystem.IsLinux()) return 0;
        SafeSocketHandle handle = s.SafeHandle;
        bool added = false;
        int drained = 0;
        try
        {
            handle.DangerousAddRef(ref added);
            int fd = (int)handle.DangerousGetHandle();
            unsafe
            {
                byte* buffer = stackalloc byte[64]; // the datagram that drew the error: not read, truncated
                while (drained < MaxDrained && Interop.Libc.Recv(fd, buffer, 64, Interop.Libc.MSG_ERRQUEUE | Interop.Libc.MSG_DONTWAIT) >= 0)
                    drained++;
            }
        }
        catch (ObjectDisposedException)
        {
            // The run is over and the socket closed: nothing left to count.
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
        return drained;
#else
        return 0;
#endif
    }
}
