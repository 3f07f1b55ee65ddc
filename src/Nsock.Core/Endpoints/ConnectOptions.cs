using System;
using System.Net;

namespace Nsock.Core;

/// <summary>How to connect: which family, how long each address may take, and the local address to connect from.</summary>
public sealed record ConnectOptions
{
    /// <summary>Force IPv4 or IPv6 (-4/-6); Any tries every address in resolver order.</summary>
    public IpVersion IpVersion { get; init; } = IpVersion.Any;

    /// <summary>The bound on each connection attempt (and on the name lookup).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The local address to connect from (--source, nc -s); null: the OS picks (the target's family's any address
    /// when only <see cref="SourcePort"/> is given). Its family decides the target's: only addresses of that family are tried.
    /// </summary>
    public IPAddress? SourceAddress { get; init; }

    /// <summary>The local port to connect from (nc -p); 0: the OS picks. A port given also sets SO_REUSEADDR so a quick rerun binds it again.</summary>
    public int SourcePort { get; init; }

    /// <summary>
    /// The proxy every TCP connection goes through (--proxy, -Proxy); null: straight to the target. The source
    /// address and port, the family and the timeout then apply to the connection to the proxy (the timeout also bounds
    /// the proxy's answer), and the target's name is resolved by the proxy.
    /// </summary>
    internal ProxyServer? Proxy { get; init; }

    /// <summary>
    /// The socket will be served only by blocking loops (a forward's target): on Linux a TCP connect without a source
    /// then keeps it out of .NET's event loop (LinuxConnect), whose wakeups would cost those loops CPU.
    /// </summary>
    internal bool OutsideEventLoop { get; init; }

    /// <summary>True when a source address or port is given.</summary>
    internal bool HasSource => SourceAddress is not null || SourcePort != 0;

    /// <summary>The family names resolve to: the source address's when there is one (no other can be reached from it), else <see cref="IpVersion"/>.</summary>
    internal IpVersion Family => SourceAddress is null ? IpVersion
        : SourceAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IpVersion.V6 : IpVersion.V4;
}
