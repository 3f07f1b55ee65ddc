namespace Nsock.Core;

/// <summary>Which IP family to use when a name has addresses of both, or when listening on all interfaces.</summary>
public enum IpVersion
{
    /// <summary>Both: connect tries every address in resolver order; a listener on all interfaces is dual-stack.</summary>
    Any,

    /// <summary>IPv4 only (-4).</summary>
    V4,

    /// <summary>IPv6 only (-6).</summary>
    V6,
}
