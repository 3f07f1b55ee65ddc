using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
#if NET
using System.Runtime.Versioning;
#endif

namespace Nsock.Core;

/// <summary>
/// The TCP and UDP endpoints of a Windows machine from the IP Helper tables (GetExtendedTcpTable with
/// TCP_TABLE_OWNER_PID_ALL, GetExtendedUdpTable with UDP_TABLE_OWNER_PID): every owner's process id is given, its name
/// where this user may open the process. The tables give no queue sizes and no Unix sockets. Built for Windows, not
/// run here (nsock's tests run on Linux).
/// </summary>
#if NET
[SupportedOSPlatform("windows")]
#endif
internal static class WindowsConnectionTable
{
    // MIB_TCPROW_OWNER_PID, MIB_TCP6ROW_OWNER_PID, MIB_UDPROW_OWNER_PID, MIB_UDP6ROW_OWNER_PID (bytes).
    private const int TcpRow4 = 24, TcpRow6 = 56, UdpRow4 = 12, UdpRow6 = 28;

    // MIB_TCP_STATE: 1 CLOSED .. 12 DELETE_TCB.
    private static readonly ConnectionState[] s_states =
    {
        ConnectionState.Closed, ConnectionState.Closed, ConnectionState.Listen, ConnectionState.SynSent, ConnectionState.SynReceived,
        ConnectionState.Established, ConnectionState.FinWait1, ConnectionState.FinWait2, ConnectionState.CloseWait,
        ConnectionState.Closing, ConnectionState.LastAck, ConnectionState.TimeWait, ConnectionState.Closed,
    };

    public static List<SocketConnection> Read(ConnectionFilter filter)
    {
        var kept = new List<SocketConnection>();
        var names = new Dictionary<int, string?>();
        if (filter.Tcp)
        {
            if (filter.Family != IpVersion.V6) Rows(Table(tcp: true, Interop.IpHlpApi.AF_INET), TcpRow4, Tcp4, filter, names, kept);
            if (filter.Family != IpVersion.V4) Rows(Table(tcp: true, Interop.IpHlpApi.AF_INET6), TcpRow6, Tcp6, filter, names, kept);
        }
        if (filter.Udp)
        {
            if (filter.Family != IpVersion.V6) Rows(Table(tcp: false, Interop.IpHlpApi.AF_INET), UdpRow4, Udp4, filter, names, kept);
            if (filter.Family != IpVersion.V4) Rows(Table(tcp: false, Interop.IpHlpApi.AF_INET6), UdpRow6, Udp6, filter, names, kept);
        }
        return kept;
    }

    private delegate SocketConnection RowReader(ReadOnlySpan<byte> row);

    private static void Rows(byte[] table, int rowSize, RowReader read, ConnectionFilter filter, Dictionary<int, string?> names, List<SocketConnection> kept)
    {
        if (table.Length < 4) return;
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(table);
        for (long i = 0; i < count && 4 + (i + 1) * rowSize <= table.Length; i++)
        {
            SocketConnection c = read(table.AsSpan((int)(4 + i * rowSize), rowSize));
            if (!filter.Matches(c)) continue;
            if (c.ProcessId is int pid)
            {
                if (!names.TryGetValue(pid, out string? name)) names[pid] = name = ProcessName(pid);
                c = c with { ProcessName = name };
            }
            if (filter.MatchesOwner(c)) kept.Add(c);
        }
    }

    // The call sizes its table: ask, grow to what it says, ask again (it may have grown meanwhile).
    private static unsafe byte[] Table(bool tcp, uint family)
    {
        uint size = 64 * 1024;
        for (int attempt = 0; attempt < 8; attempt++)
        {
            byte[] buffer = new byte[size];
            uint result;
            fixed (byte* p = buffer)
            {
                result = tcp
                    ? Interop.IpHlpApi.GetExtendedTcpTable(p, ref size, 0, family, Interop.IpHlpApi.TcpTableOwnerPidAll, 0)
                    : Interop.IpHlpApi.GetExtendedUdpTable(p, ref size, 0, family, Interop.IpHlpApi.UdpTableOwnerPid, 0);
            }
            if (result == Interop.IpHlpApi.NoError) return buffer;
            if (result != Interop.IpHlpApi.ErrorInsufficientBuffer) throw new NsockException(NsockErrorKind.Io, $"reading the {(tcp ? "TCP" : "UDP")} table failed (IP Helper error {result})");
            size += 16 * 1024;
        }
        throw new NsockException(NsockErrorKind.Io, $"the {(tcp ? "TCP" : "UDP")} table kept growing while it was read; try again");
    }

    // Ports are in network byte order in the low 16 bits of a DWORD.
    private static int Port(ReadOnlySpan<byte> at) => (at[0] << 8) | at[1];

    private static int? Pid(uint pid) => pid == 0 ? null : (int)pid;

    private static SocketConnection Tcp4(ReadOnlySpan<byte> r) => new()
    {
        Protocol = Transport.Tcp,
        Family = System.Net.Sockets.AddressFamily.InterNetwork,
        State = State(BinaryPrimitives.ReadUInt32LittleEndian(r)),
        LocalAddress = new IPAddress(r.Slice(4, 4).ToArray()).ToString(),
        LocalPort = Port(r.Slice(8)),
        RemoteAddress = new IPAddress(r.Slice(12, 4).ToArray()).ToString(),
        RemotePort = Port(r.Slice(16)),
        ProcessId = Pid(BinaryPrimitives.ReadUInt32LittleEndian(r.Slice(20))),
    };

    // ucLocalAddr[16], dwLocalScopeId, dwLocalPort, ucRemoteAddr[16], dwRemoteScopeId, dwRemotePort, dwState, dwOwningPid.
    private static SocketConnection Tcp6(ReadOnlySpan<byte> r) => new()
    {
        Protocol = Transport.Tcp,
        Family = System.Net.Sockets.AddressFamily.InterNetworkV6,
        LocalAddress = new IPAddress(r.Slice(0, 16).ToArray(), BinaryPrimitives.ReadUInt32LittleEndian(r.Slice(16))).ToString(),
        LocalPort = Port(r.Slice(20)),
        RemoteAddress = new IPAddress(r.Slice(24, 16).ToArray(), BinaryPrimitives.ReadUInt32LittleEndian(r.Slice(40))).ToString(),
        RemotePort = Port(r.Slice(44)),
        State = State(BinaryPrimitives.ReadUInt32LittleEndian(r.Slice(48))),
        ProcessId = Pid(BinaryPrimitives.ReadUInt32LittleEndian(r.Slice(52))),
    };

    private static SocketConnection Udp4(ReadOnlySpan<byte> r) => new()
    {
        Protocol = Transport.Udp,
        Family = System.Net.Sockets.AddressFamily.InterNetwork,
        LocalAddress = new IPAddress(r.Slice(0, 4).ToArray()).ToString(),
        LocalPort = Port(r.Slice(4)),
        RemoteAddress = "0.0.0.0",
        RemotePort = 0,
        State = ConnectionState.Unconnected, // the table has no peer: a connected UDP socket is listed by its local end only
        ProcessId = Pid(BinaryPrimitives.ReadUInt32LittleEndian(r.Slice(8))),
    };

    private static SocketConnection Udp6(ReadOnlySpan<byte> r) => new()
    {
        Protocol = Transport.Udp,
        Family = System.Net.Sockets.AddressFamily.InterNetworkV6,
        LocalAddress = new IPAddress(r.Slice(0, 16).ToArray(), BinaryPrimitives.ReadUInt32LittleEndian(r.Slice(16))).ToString(),
        LocalPort = Port(r.Slice(20)),
        RemoteAddress = "::",
        RemotePort = 0,
        State = ConnectionState.Unconnected,
        ProcessId = Pid(BinaryPrimitives.ReadUInt32LittleEndian(r.Slice(24))),
    };

    private static ConnectionState State(uint state) => state < s_states.Length ? s_states[state] : ConnectionState.Closed;

    // A protected or ended process has no name for this user.
    private static string? ProcessName(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return p.ProcessName;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null;
        }
    }
}
