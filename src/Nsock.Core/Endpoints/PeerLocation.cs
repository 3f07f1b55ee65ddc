using System.Net;
using System.Net.Sockets;

namespace Nsock.Core;

/// <summary>Where a connected socket's peer is: here decides whether zero-copy pays.</summary>
internal static class PeerLocation
{
    /// <summary>
    /// True when the peer of <paramref name="socket"/> is a process of this host: a Unix socket, a loopback address,
    /// or this host's own address (its local and remote addresses are the same). Zero-copy (splice, sendfile) sends
    /// pages no copy has warmed, so a reader on this host pays for them: through a loopback forward splice was
    /// 1.84-2.03 GB/s against 2.57-2.80 for 1 MiB copies (the sink's CPU per GiB 0.33-0.37 s against 0.14), and a
    /// file sent with sendfile cost its loopback receiver 0.21-0.30 s per GiB against 0.09-0.13 from socat's copies,
    /// with no saving for the sender. Toward a network card it saves the sender's copy, so nsock uses zero-copy only
    /// when the peer is elsewhere.
    /// </summary>
    public static bool OnThisHost(Socket socket)
    {
        if (socket.AddressFamily == AddressFamily.Unix) return true;
        if (socket.RemoteEndPoint is not IPEndPoint remote) return true;
        IPAddress address = Plain(remote.Address);
        if (IPAddress.IsLoopback(address)) return true;
        return socket.LocalEndPoint is IPEndPoint local && Plain(local.Address).Equals(address);
    }

    private static IPAddress Plain(IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;
}
