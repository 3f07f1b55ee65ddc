using System.Net.Sockets;

namespace Nsock.Core;

/// <summary>
/// One socket of this machine as <c>nsock conns</c> and <c>Get-SocketConnection</c> list it. Addresses and ports are
/// null for Unix sockets; queues are null where the system does not say (Unix sockets, Windows); the owner is null
/// where this user may not look at the owning process (on Linux, another user's processes unless run as root).
/// </summary>
public sealed record SocketConnection : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "socket";

    /// <summary>tcp, udp or unix.</summary>
    public Transport Protocol { get; init; }

    /// <summary>InterNetwork (IPv4), InterNetworkV6 (IPv6, IPv4-mapped addresses included) or Unix.</summary>
    public AddressFamily Family { get; init; }

    /// <summary>The local address (0.0.0.0 or :: for every interface); null for Unix sockets.</summary>
    public string? LocalAddress { get; init; }

    /// <summary>The local port; null for Unix sockets.</summary>
    public int? LocalPort { get; init; }

    /// <summary>The peer's address (0.0.0.0 or :: when there is none); null for Unix sockets.</summary>
    public string? RemoteAddress { get; init; }

    /// <summary>The peer's port (0 when there is none); null for Unix sockets.</summary>
    public int? RemotePort { get; init; }

    /// <summary>The state (TCP states; UDP and Unix: Unconnected, Connected, Listen).</summary>
    public ConnectionState State { get; init; }

    /// <summary>Bytes received and not yet read by the program (a TCP listener: connections waiting to be accepted); null when unknown.</summary>
    public long? ReceiveQueue { get; init; }

    /// <summary>Bytes sent and not yet acknowledged by the peer (UDP: not yet sent); null when unknown.</summary>
    public long? SendQueue { get; init; }

    /// <summary>The process that holds the socket (the first found when several share it); null when not visible to this user, or none (TIME_WAIT).</summary>
    public int? ProcessId { get; init; }

    /// <summary>That process's name (Linux: its comm, at most 15 characters); null with <see cref="ProcessId"/>.</summary>
    public string? ProcessName { get; init; }

    /// <summary>A Unix socket's path (<c>@name</c> for an abstract name); null when it has none.</summary>
    public string? Path { get; init; }

    /// <summary>The socket's inode on Linux (0 for TCP sockets no process holds, as in TIME_WAIT); null on Windows.</summary>
    public long? Inode { get; init; }
}
