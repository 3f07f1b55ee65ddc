using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// RFC 1928 (SOCKS5) CONNECT with RFC 1929 user/password authentication. A name is sent as a name (ATYP 3), so the
// proxy resolves it: the client may not even be able to.
internal static class Socks5Handshake
{
    private const byte Version = 5;
    private const byte NoAuthentication = 0;
    private const byte UserPassword = 2;
    private const byte NoAcceptableMethod = 0xFF;

    public static async Task RunAsync(Socket socket, ProxyServer proxy, string host, int port, CancellationToken ct)
    {
        byte[] buffer = new byte[2 + 255 + 255 + 3]; // the largest message: user/password authentication
        // Offer user/password only when there are credentials, and "none" always (a proxy that needs nothing takes it).
        byte[] hello = proxy.User is null ? new byte[] { Version, 1, NoAuthentication } : new byte[] { Version, 2, NoAuthentication, UserPassword };
        await SocketIo.SendAllAsync(socket, hello, 0, hello.Length, ct).ConfigureAwait(false);
        await ProxyTunnel.ReadExactlyAsync(socket, buffer, 2, proxy, "choosing an authentication method", ct).ConfigureAwait(false);
        if (buffer[0] != Version)
            throw new NsockException(NsockErrorKind.Io, $"proxy {proxy} is not a SOCKS5 proxy (it answered 0x{buffer[0]:x2} 0x{buffer[1]:x2}{(buffer[0] == (byte)'H' ? ", as an HTTP server would: try http://" : "")})");
        switch (buffer[1])
        {
            case NoAuthentication:
                break;
            case UserPassword when proxy.User is not null:
                await AuthenticateAsync(socket, proxy, buffer, ct).ConfigureAwait(false);
                break;
            case NoAcceptableMethod:
                throw new NsockException(NsockErrorKind.Io, proxy.User is null
                    ? $"proxy {proxy} requires authentication: give socks5://user:password@host:port"
                    : $"proxy {proxy} accepts none of the offered authentication methods (none, user/password)");
            default:
                throw new NsockException(NsockErrorKind.Io, $"proxy {proxy} chose authentication method 0x{buffer[1]:x2}, which was not offered");
        }

        byte[] request = ConnectRequest(host, port);
        await SocketIo.SendAllAsync(socket, request, 0, request.Length, ct).ConfigureAwait(false);
        await ProxyTunnel.ReadExactlyAsync(socket, buffer, 4, proxy, "answering the CONNECT request", ct).ConfigureAwait(false);
        if (buffer[0] != Version) throw new NsockException(NsockErrorKind.Io, $"proxy {proxy} answered the CONNECT request with version {buffer[0]}, not 5");
        string target = ConnectTarget.Join(host, port);
        if (buffer[1] != 0) throw Failure(buffer[1], proxy, target);
        // The bound address the proxy reports (unused: the tunnel is what matters), read so no byte of it is left
        // in front of the target's data.
        int rest = buffer[3] switch
        {
            1 => 4,
            4 => 16,
            3 => -1,
            _ => throw new NsockException(NsockErrorKind.Io, $"proxy {proxy} answered with address type {buffer[3]}, which SOCKS5 does not define"),
        };
        if (rest < 0)
        {
            await ProxyTunnel.ReadExactlyAsync(socket, buffer, 1, proxy, "finishing its reply", ct).ConfigureAwait(false);
            rest = buffer[0];
        }
        await ProxyTunnel.ReadExactlyAsync(socket, buffer, rest + 2, proxy, "finishing its reply", ct).ConfigureAwait(false);
    }

    private static async Task AuthenticateAsync(Socket socket, ProxyServer proxy, byte[] buffer, CancellationToken ct)
    {
        int n = 0;
        buffer[n++] = 1; // the sub-negotiation's version
        n = Field(buffer, n, proxy.User!);
        n = Field(buffer, n, proxy.Password ?? "");
        try
        {
            await SocketIo.SendAllAsync(socket, buffer, 0, n, ct).ConfigureAwait(false);
        }
        finally
        {
            Array.Clear(buffer, 0, n); // the password does not linger in memory longer than needed
        }
        await ProxyTunnel.ReadExactlyAsync(socket, buffer, 2, proxy, "answering the user name and password", ct).ConfigureAwait(false);
        if (buffer[1] != 0) throw new NsockException(NsockErrorKind.Io, $"proxy {proxy} refused the user name and password");
    }

    private static int Field(byte[] buffer, int at, string text)
    {
        int length = Encoding.UTF8.GetBytes(text, 0, text.Length, buffer, at + 1);
        buffer[at] = (byte)length;
        return at + 1 + length;
    }

    private static byte[] ConnectRequest(string host, int port)
    {
        byte[] address;
        byte type;
        if (IPAddress.TryParse(host, out IPAddress? ip) && host.IndexOf('%') < 0)
        {
            address = ip.GetAddressBytes();
            type = ip.AddressFamily == AddressFamily.InterNetworkV6 ? (byte)4 : (byte)1;
        }
        else
        {
            byte[] name = Encoding.ASCII.GetBytes(IdnName(host));
            if (name.Length is 0 or > 255) throw NsockException.BadInput($"the host name '{NsockText.Printable(host)}' is longer than the 255 bytes SOCKS5 can carry");
            address = new byte[name.Length + 1];
            address[0] = (byte)name.Length;
            Buffer.BlockCopy(name, 0, address, 1, name.Length);
            type = 3;
        }
        byte[] request = new byte[4 + address.Length + 2];
        request[0] = Version;
        request[1] = 1; // CONNECT
        request[2] = 0;
        request[3] = type;
        Buffer.BlockCopy(address, 0, request, 4, address.Length);
        request[request.Length - 2] = (byte)(port >> 8);
        request[request.Length - 1] = (byte)port;
        return request;
    }

    // A name with non-ASCII letters goes to the proxy in its DNS (punycode) form.
    private static string IdnName(string host)
    {
        try
        {
            return new System.Globalization.IdnMapping().GetAscii(host);
        }
        catch (ArgumentException)
        {
            throw NsockException.BadInput($"'{NsockText.Printable(host)}' is not a valid host name");
        }
    }

    // RFC 1928 section 6. Where the proxy reports the target's own answer (refused, unreachable, no answer), the
    // error is that kind, as if nsock had connected itself; the rest are the proxy's failures (exit 1).
    private static NsockException Failure(byte code, ProxyServer proxy, string target)
    {
        string why = code switch
        {
            1 => "general SOCKS server failure",
            2 => "connection not allowed by the proxy's rules",
            3 => "network unreachable",
            4 => "host unreachable",
            5 => "connection refused by the target",
            6 => "TTL expired (the target did not answer in time)",
            7 => "command not supported by the proxy",
            8 => "address type not supported by the proxy",
            _ => $"unknown SOCKS5 reply code {code}",
        };
        string message = $"proxy {proxy}: connect to {target}: {why} (SOCKS5 reply {code})";
        return code switch
        {
            3 or 4 => ProxyTunnel.TargetFault(NsockErrorKind.Unreachable, message),
            5 => ProxyTunnel.TargetFault(NsockErrorKind.Refused, message),
            6 => ProxyTunnel.TargetFault(NsockErrorKind.TimedOut, message),
            _ => new NsockException(NsockErrorKind.Io, message),
        };
    }
}
