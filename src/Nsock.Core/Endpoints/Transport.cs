namespace Nsock.Core;

/// <summary>The kind of socket an endpoint names.</summary>
public enum Transport
{
    /// <summary>A TCP stream.</summary>
    Tcp,

    /// <summary>UDP datagrams.</summary>
    Udp,

    /// <summary>A Unix domain stream socket, named by a file system path.</summary>
    Unix,
}
