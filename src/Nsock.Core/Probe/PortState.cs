namespace Nsock.Core;

/// <summary>What a probe learned about a port.</summary>
public enum PortState
{
    /// <summary>TCP: the handshake completed. UDP: a reply came back.</summary>
    Open,

    /// <summary>TCP: refused (RST). UDP: ICMP port unreachable.</summary>
    Closed,

    /// <summary>TCP: no answer within the timeout, or the network said unreachable.</summary>
    Filtered,

    /// <summary>UDP: silence. A firewall may drop the probe, or a service may ignore it; UDP cannot tell which.</summary>
    OpenFiltered,

    /// <summary>The target name did not resolve.</summary>
    Unresolved,
}
