using System.Collections.Generic;
using System.Net.Sockets;

namespace Nsock.Core;

/// <summary>A checked <see cref="ConnectionsRequest"/>'s filters: which tables to read and which sockets to keep.</summary>
internal sealed record ConnectionFilter
{
    public bool Tcp { get; init; }

    public bool Udp { get; init; }

    public bool Unix { get; init; }

    public IpVersion Family { get; init; }

    /// <summary>Null: every state.</summary>
    public IReadOnlyCollection<ConnectionState>? States { get; init; }

    /// <summary>TCP and Unix listeners and UDP sockets with no peer (they take datagrams from anyone), as <c>ss -l</c>.</summary>
    public bool Listening { get; init; }

    /// <summary>Null: every port; else the local or the remote port is one of these.</summary>
    public IReadOnlyCollection<int>? Ports { get; init; }

    /// <summary>Null: every process (and sockets with no visible owner); else only these processes' sockets.</summary>
    public IReadOnlyCollection<int>? ProcessIds { get; init; }

    public bool Wants(Transport protocol, AddressFamily family) => protocol switch
    {
        Transport.Tcp => Tcp && WantsFamily(family),
        Transport.Udp => Udp && WantsFamily(family),
        _ => Unix,
    };

    private bool WantsFamily(AddressFamily family) => Family switch
    {
        IpVersion.V4 => family == AddressFamily.InterNetwork,
        IpVersion.V6 => family == AddressFamily.InterNetworkV6,
        _ => true,
    };

    /// <summary>Everything but the owner (known only later, and only for the sockets kept here).</summary>
    public bool Matches(SocketConnection c)
    {
        if (!Wants(c.Protocol, c.Family)) return false;
        if (Listening && !IsListening(c)) return false;
        if (States is not null && !Contains(States, c.State)) return false;
        if (Ports is not null && !(c.LocalPort is int l && Contains(Ports, l)) && !(c.RemotePort is int r && Contains(Ports, r))) return false;
        return true;
    }

    public bool MatchesOwner(SocketConnection c) => ProcessIds is null || (c.ProcessId is int pid && Contains(ProcessIds, pid));

    private static bool IsListening(SocketConnection c) =>
        c.State == ConnectionState.Listen || (c.Protocol == Transport.Udp && c.State == ConnectionState.Unconnected);

    // A loop where LINQ's Contains would be: its code per element type adds to the native binary (issue #13).
    private static bool Contains<T>(IReadOnlyCollection<T> set, T value)
    {
        if (set is ICollection<T> c) return c.Contains(value);
        foreach (T item in set)
        {
            if (EqualityComparer<T>.Default.Equals(item, value)) return true;
        }
        return false;
    }
}
