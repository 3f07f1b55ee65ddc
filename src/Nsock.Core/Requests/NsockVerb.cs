namespace Nsock.Core;

/// <summary>What a user asks nsock to do; each front end names these its own way (<see cref="IOptionNames"/>).</summary>
public enum NsockVerb
{
    /// <summary>Connect and relay (nsock connect).</summary>
    Connect,

    /// <summary>Listen for clients (nsock listen, New-SocketListener).</summary>
    Listen,

    /// <summary>Send and half-close (nsock send, Send-SocketData).</summary>
    Send,

    /// <summary>Connect and read until a condition (nsock recv, Receive-SocketData).</summary>
    Receive,

    /// <summary>UDP echo probes or TCP connect time (nsock ping, Invoke-UdpPing).</summary>
    Ping,

    /// <summary>Port states (nsock probe, Test-SocketPort).</summary>
    Probe,

    /// <summary>One raw HTTP exchange (nsock http, Get-HttpRaw).</summary>
    Http,

    /// <summary>Verified file transfer (nsock send-file, Send-File).</summary>
    SendFiles,

    /// <summary>The sockets of this machine (nsock conns, Get-SocketConnection).</summary>
    Connections,
}
