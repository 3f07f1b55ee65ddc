namespace Nsock.Core;

/// <summary>An outgoing connection was established.</summary>
public sealed record Connected(string Remote, string Local, Transport Transport) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "connected";

    /// <summary>The event for a socket connected to <paramref name="endpoint"/>; a Unix peer is named by its path (its socket has no name).</summary>
    public static Connected To(Endpoint endpoint, System.Net.Sockets.Socket socket) => new(
        endpoint.Transport == Nsock.Core.Transport.Unix ? endpoint.ToString() : PeerName.Of(socket.RemoteEndPoint),
        PeerName.Of(socket.LocalEndPoint),
        endpoint.Transport);
}
