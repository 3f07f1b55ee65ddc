using System;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// An HTTP proxy's CONNECT: "CONNECT host:port HTTP/1.1", then the proxy's response head; a 2xx means the
// connection is now the tunnel.
internal static class HttpConnectHandshake
{
    /// <summary>The most bytes of response head read from a proxy: a real one sends a few hundred.</summary>
    internal const int MaxHeadBytes = 16 * 1024;

    public static async Task RunAsync(Socket socket, ProxyServer proxy, string host, int port, CancellationToken ct)
    {
        string authority = ConnectTarget.Join(host, port);
        var request = new StringBuilder();
        request.Append("CONNECT ").Append(authority).Append(" HTTP/1.1\r\n");
        request.Append("Host: ").Append(authority).Append("\r\n");
        if (proxy.User is not null)
            request.Append("Proxy-Authorization: Basic ").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(proxy.User + ":" + proxy.Password))).Append("\r\n");
        request.Append("\r\n");
        byte[] bytes = Encoding.UTF8.GetBytes(request.ToString());
        try
        {
            await SocketIo.SendAllAsync(socket, bytes, 0, bytes.Length, ct).ConfigureAwait(false);
        }
        finally
        {
            Array.Clear(bytes, 0, bytes.Length);
        }

        string statusLine = await ReadHeadAsync(socket, proxy, ct).ConfigureAwait(false);
        int status = StatusCode(statusLine);
        if (status is >= 200 and <= 299) return;
        string shown = NsockText.PrintableWire(statusLine.Length <= 100 ? statusLine : statusLine.Substring(0, 100) + "...");
        if (status < 0) throw new NsockException(NsockErrorKind.Io, $"proxy {proxy} is not an HTTP proxy (it answered '{shown}')");
        string message = $"proxy {proxy}: CONNECT {authority} answered '{shown}'";
        // The status line is the proxy's only word on why; where it names the target's failure, exit as if nsock
        // had connected itself: 504 the target did not answer; 502 and 503 it could not be reached.
        throw status switch
        {
            407 => new NsockException(NsockErrorKind.Io, proxy.User is null ? message + ": the proxy requires authentication (give http://user:password@host:port)" : message + ": the user name and password were refused"),
            504 => ProxyTunnel.TargetFault(NsockErrorKind.TimedOut, message),
            502 or 503 => ProxyTunnel.TargetFault(NsockErrorKind.Refused, message),
            _ => new NsockException(NsockErrorKind.Io, message),
        };
    }

    // Reads the response head a byte at a time, never past its blank line: the bytes after it are the target's
    // and must stay in the socket for whoever reads it next (the relay, TLS). A head is a few hundred bytes, so
    // this costs nothing that matters, and it keeps the tunnel a plain socket.
    private static async Task<string> ReadHeadAsync(Socket socket, ProxyServer proxy, CancellationToken ct)
    {
        byte[] head = new byte[MaxHeadBytes];
        int n = 0;
        int firstLineEnd = -1;
        while (true)
        {
            if (n == head.Length) throw new NsockException(NsockErrorKind.Io, $"proxy {proxy} sent a response head longer than {MaxHeadBytes} bytes");
            int got = await SocketIo.ReceiveAsync(socket, head, n, 1, ct).ConfigureAwait(false);
            if (got == 0)
            {
                string sofar = n == 0 ? "" : $" (after '{NsockText.PrintableWire(Encoding.ASCII.GetString(head, 0, Math.Min(n, 100)))}')";
                throw new NsockException(NsockErrorKind.Io, $"proxy {proxy} closed the connection before answering the CONNECT request{sofar}");
            }
            n++;
            if (head[n - 1] != '\n') continue;
            if (firstLineEnd < 0) firstLineEnd = n;
            // The head ends at an empty line: CRLF CRLF, or LF LF from a lenient server.
            if ((n >= 2 && head[n - 2] == '\n') || (n >= 4 && head[n - 2] == '\r' && head[n - 3] == '\n' && head[n - 4] == '\r'))
                return Encoding.ASCII.GetString(head, 0, firstLineEnd).TrimEnd('\r', '\n');
            if (n == firstLineEnd && StatusCode(Encoding.ASCII.GetString(head, 0, n).TrimEnd('\r', '\n')) < 0)
                return Encoding.ASCII.GetString(head, 0, n).TrimEnd('\r', '\n'); // not HTTP at all: no need to wait for more
        }
    }

    // "HTTP/1.1 200 Connection established" -> 200; -1 when the line is not an HTTP status line.
    private static int StatusCode(string line)
    {
        if (!line.StartsWith("HTTP/", StringComparison.Ordinal)) return -1;
        int space = line.IndexOf(' ');
        if (space < 0 || line.Length < space + 4) return -1;
        int code = 0;
        for (int i = space + 1; i < space + 4; i++)
        {
            char c = line[i];
            if (c < '0' || c > '9') return -1;
            code = code * 10 + (c - '0');
        }
        return line.Length == space + 4 || line[space + 4] == ' ' ? code : -1;
    }
}
