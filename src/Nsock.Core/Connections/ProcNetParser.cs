using System;
using System.Net;
using System.Net.Sockets;

namespace Nsock.Core;

/// <summary>
/// Reads one line of Linux's <c>/proc/net/{tcp,tcp6,udp,udp6}</c> or <c>/proc/net/unix</c> into a
/// <see cref="SocketConnection"/> (owner not yet known). A line it cannot read (the header, or a Unix path with a
/// line break cutting the next line short) gives false and is left out, never guessed at.
/// </summary>
internal static class ProcNetParser
{
    // include/net/tcp_states.h
    private static readonly ConnectionState[] s_tcpStates =
    {
        ConnectionState.Closed,      // 0 unused
        ConnectionState.Established, // 1 TCP_ESTABLISHED
        ConnectionState.SynSent,     // 2 TCP_SYN_SENT
        ConnectionState.SynReceived, // 3 TCP_SYN_RECV
        ConnectionState.FinWait1,    // 4 TCP_FIN_WAIT1
        ConnectionState.FinWait2,    // 5 TCP_FIN_WAIT2
        ConnectionState.TimeWait,    // 6 TCP_TIME_WAIT
        ConnectionState.Closed,      // 7 TCP_CLOSE
        ConnectionState.CloseWait,   // 8 TCP_CLOSE_WAIT
        ConnectionState.LastAck,     // 9 TCP_LAST_ACK
        ConnectionState.Listen,      // 10 TCP_LISTEN
        ConnectionState.Closing,     // 11 TCP_CLOSING
        ConnectionState.SynReceived, // 12 TCP_NEW_SYN_RECV (a request socket: ss shows SYN-RECV too)
    };

    /// <summary>
    /// <c>sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...</c>: addresses
    /// in hex as the kernel holds them (IPv4 one 32-bit word, IPv6 four, each printed in host byte order), the port
    /// in hex, the state in hex.
    /// </summary>
    public static bool TryParseInet(string line, Transport protocol, out SocketConnection connection)
    {
        connection = null!;
        var fields = new FieldReader(line);
        if (!fields.Next(out ReadOnlySpan<char> slot) || slot.Length == 0 || slot[slot.Length - 1] != ':') return false;
        if (!fields.Next(out ReadOnlySpan<char> local) || !TryEndpoint(local, out IPAddress? localAddress, out int localPort)) return false;
        if (!fields.Next(out ReadOnlySpan<char> remote) || !TryEndpoint(remote, out IPAddress? remoteAddress, out int remotePort)) return false;
        if (!fields.Next(out ReadOnlySpan<char> st) || !TryHex(st, out ulong state)) return false;
        if (!fields.Next(out ReadOnlySpan<char> queues)) return false;
        int colon = queues.IndexOf(':');
        if (colon < 0 || !TryHex(queues.Slice(0, colon), out ulong tx) || !TryHex(queues.Slice(colon + 1), out ulong rx)) return false;
        // tr:when, retransmits, uid, timeout, then the inode (decimal).
        for (int skip = 0; skip < 4; skip++)
        {
            if (!fields.Next(out _)) return false;
        }
        if (!fields.Next(out ReadOnlySpan<char> inodeText) || !TryDecimal(inodeText, out ulong inode)) return false;

        ConnectionState mapped = protocol == Transport.Udp
            ? (state == 1 ? ConnectionState.Connected : ConnectionState.Unconnected) // UDP: TCP_ESTABLISHED once connect(2)ed, TCP_CLOSE otherwise
            : state < (ulong)s_tcpStates.Length ? s_tcpStates[state] : ConnectionState.Closed;
        connection = new SocketConnection
        {
            Protocol = protocol,
            Family = localAddress!.AddressFamily,
            LocalAddress = localAddress.ToString(),
            LocalPort = localPort,
            RemoteAddress = remoteAddress!.ToString(),
            RemotePort = remotePort,
            State = mapped,
            ReceiveQueue = (long)rx,
            SendQueue = (long)tx,
            Inode = (long)inode,
        };
        return true;
    }

    // Unix socket flags and states: include/uapi/linux/net.h (SS_*), __SO_ACCEPTCON in include/linux/net.h.
    private const ulong AcceptConnections = 0x10000;

    /// <summary>
    /// <c>Num RefCount Protocol Flags Type St Inode Path</c>: flags, type and state in hex, the inode in decimal, then
    /// the path (which may hold spaces) to the end of the line; an abstract name starts with <c>@</c>.
    /// </summary>
    public static bool TryParseUnix(string line, out SocketConnection connection)
    {
        connection = null!;
        var fields = new FieldReader(line);
        if (!fields.Next(out ReadOnlySpan<char> num) || num.Length == 0 || num[num.Length - 1] != ':' || !TryHex(num.Slice(0, num.Length - 1), out _)) return false;
        if (!fields.Next(out _)) return false; // refcount
        if (!fields.Next(out _)) return false; // protocol
        if (!fields.Next(out ReadOnlySpan<char> flagsText) || !TryHex(flagsText, out ulong flags)) return false;
        if (!fields.Next(out ReadOnlySpan<char> typeText) || !TryHex(typeText, out _)) return false; // stream, dgram, seqpacket: all listed alike
        if (!fields.Next(out ReadOnlySpan<char> stText) || !TryHex(stText, out ulong st)) return false;
        if (!fields.Next(out ReadOnlySpan<char> inodeText) || !TryDecimal(inodeText, out ulong inode)) return false;
        string? path = fields.Rest();

        ConnectionState state = (flags & AcceptConnections) != 0 ? ConnectionState.Listen : st switch
        {
            2 => ConnectionState.SynSent,   // SS_CONNECTING
            3 => ConnectionState.Connected, // SS_CONNECTED
            4 => ConnectionState.Closing,   // SS_DISCONNECTING
            _ => ConnectionState.Unconnected,
        };
        connection = new SocketConnection
        {
            Protocol = Transport.Unix,
            Family = AddressFamily.Unix,
            State = state,
            Path = path,
            Inode = (long)inode,
        };
        return true;
    }

    // "0100007F:1F90" or 32 hex digits then ":port".
    private static bool TryEndpoint(ReadOnlySpan<char> text, out IPAddress? address, out int port)
    {
        address = null;
        port = 0;
        int colon = text.IndexOf(':');
        if (colon < 0 || !TryHex(text.Slice(colon + 1), out ulong p) || p > 65535) return false;
        ReadOnlySpan<char> hex = text.Slice(0, colon);
        if (hex.Length != 8 && hex.Length != 32) return false;
        byte[] bytes = new byte[hex.Length / 2];
        for (int word = 0; word < hex.Length / 8; word++)
        {
            if (!TryHex(hex.Slice(word * 8, 8), out ulong value)) return false;
            // The kernel printed the 32-bit word as a number in host byte order: its bytes in memory are the
            // address's bytes in network order.
            uint w = (uint)value;
            if (BitConverter.IsLittleEndian)
            {
                bytes[word * 4] = (byte)w;
                bytes[word * 4 + 1] = (byte)(w >> 8);
                bytes[word * 4 + 2] = (byte)(w >> 16);
                bytes[word * 4 + 3] = (byte)(w >> 24);
            }
            else
            {
                bytes[word * 4] = (byte)(w >> 24);
                bytes[word * 4 + 1] = (byte)(w >> 16);
                bytes[word * 4 + 2] = (byte)(w >> 8);
                bytes[word * 4 + 3] = (byte)w;
            }
        }
        address = new IPAddress(bytes);
        port = (int)p;
        return true;
    }

    internal static bool TryHex(ReadOnlySpan<char> text, out ulong value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 16) return false;
        foreach (char c in text)
        {
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (digit < 0) return false;
            value = (value << 4) | (uint)digit;
        }
        return true;
    }

    internal static bool TryDecimal(ReadOnlySpan<char> text, out ulong value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > 19) return false;
        foreach (char c in text)
        {
            if (c < '0' || c > '9') return false;
            value = value * 10 + (uint)(c - '0');
        }
        return true;
    }

    // Fields separated by runs of spaces; the rest of the line on request.
    private ref struct FieldReader
    {
        private readonly string _line;
        private int _at;

        public FieldReader(string line)
        {
            _line = line;
            _at = 0;
        }

        public bool Next(out ReadOnlySpan<char> field)
        {
            while (_at < _line.Length && _line[_at] == ' ') _at++;
            int start = _at;
            while (_at < _line.Length && _line[_at] != ' ') _at++;
            field = _line.AsSpan(start, _at - start);
            return field.Length > 0;
        }

        // After one separating space: the path, spaces and all; null when there is none.
        public string? Rest()
        {
            if (_at < _line.Length && _line[_at] == ' ') _at++; // the kernel writes one space before the path
            return _at < _line.Length ? _line.Substring(_at) : null;
        }
    }
}
