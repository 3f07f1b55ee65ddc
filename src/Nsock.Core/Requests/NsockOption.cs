namespace Nsock.Core;

/// <summary>
/// The options and parameters whose names appear in messages. Each front end spells them its own way
/// (<see cref="IOptionNames"/>): <c>--max-clients</c> in the command, <c>-MaxClients</c> in PowerShell.
/// </summary>
public enum NsockOption
{
    /// <summary>The peer or listening address (command: the endpoint argument; PowerShell: -ComputerName/-Port or -Endpoint).</summary>
    Endpoint,

    /// <summary>The host, where it is given apart from the port (PowerShell -ComputerName).</summary>
    Host,

    /// <summary>The port, where it is given apart from the host (PowerShell -Port).</summary>
    Port,

    /// <summary>UDP instead of TCP.</summary>
    Udp,

    /// <summary>TCP connect time instead of UDP echo probes (ping).</summary>
    Tcp,

    /// <summary>Seconds allowed; 0 means never.</summary>
    Timeout,

    /// <summary>IPv4 only.</summary>
    IPv4,

    /// <summary>IPv6 only.</summary>
    IPv6,

    /// <summary>Keep what the peer sends back (send).</summary>
    Reply,

    /// <summary>Stop receiving after this many bytes (recv).</summary>
    ByteLimit,

    /// <summary>Stop receiving after this delimiter (recv).</summary>
    Until,

    /// <summary>Probes to send (ping).</summary>
    Count,

    /// <summary>Seconds between probes (ping).</summary>
    Interval,

    /// <summary>Bytes per probe (ping).</summary>
    Size,

    /// <summary>Bytes after the probe header (ping).</summary>
    Payload,

    /// <summary>Probes not counted (ping).</summary>
    Warmup,

    /// <summary>Replace existing files (receive files).</summary>
    Overwrite,

    /// <summary>The receiver's limit on bytes of files in all.</summary>
    FilesByteLimit,

    /// <summary>Continue partial files (send files).</summary>
    Resume,

    /// <summary>Skip TLS certificate verification.</summary>
    Insecure,
}
