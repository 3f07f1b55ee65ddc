using System;

namespace Nsock.Core;

/// <summary>How to connect: which family, and how long each address may take.</summary>
public sealed record ConnectOptions
{
    /// <summary>Force IPv4 or IPv6 (-4/-6); Any tries every address in resolver order.</summary>
    public IpVersion IpVersion { get; init; } = IpVersion.Any;

    /// <summary>The bound on each connection attempt (and on the name lookup).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
}
