namespace Nsock.Core;

/// <summary>What went wrong, in the terms a user acts on. Each front end maps a kind to an exit code or an error category.</summary>
public enum NsockErrorKind
{
    /// <summary>The input (an endpoint, an option value, a CIDR block) is not valid. Nothing was opened.</summary>
    BadInput,

    /// <summary>The peer actively refused: TCP RST on connect, or ICMP port unreachable for UDP.</summary>
    Refused,

    /// <summary>A connect, a read or a wait took longer than its timeout.</summary>
    TimedOut,

    /// <summary>No route to the host or network.</summary>
    Unreachable,

    /// <summary>The name did not resolve to any address (of the requested family).</summary>
    NameNotFound,

    /// <summary>The TLS handshake or certificate validation failed.</summary>
    Tls,

    /// <summary>Any other I/O failure: connection reset, disk errors, address in use.</summary>
    Io,

    /// <summary>This operating system cannot do it (yet); nothing was done.</summary>
    NotSupported,
}
