namespace Nsock.Core;

/// <summary>An outgoing connection was established.</summary>
public sealed record Connected(string Remote, string Local, Transport Transport) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "connected";

    /// <summary>The proxy the connection went through (its URL without the password); null: straight to the peer.</summary>
    public string? Via { get; init; }

    /// <summary>
    /// The event for a socket connected to <paramref name="endpoint"/> with <paramref name="options"/>: through a
    /// proxy the remote is the target as given (the socket's peer is the proxy) and <see cref="Via"/> names the proxy.
    /// </summary>
    internal static Connected To(Endpoint endpoint, System.Net.Sockets.Socket socket, ConnectOptions options) =>
        options.Proxy is ProxyServer proxy
            ? new Connected(ConnectTarget.Join(endpoint.Host, endpoint.Port), PeerName.Of(socket.LocalEndPoint), endpoint.Transport) { Via = proxy.ToString() }
            : To(endpoint, socket);

    /// <summary>The event for a socket connected to <paramref name="endpoint"/>; a Unix peer is named by its path (its socket has no name).</summary>
    public static Connected To(Endpoint endpoint, System.Net.Sockets.Socket socket) => new(
        endpoint.Transport == Nsock.Core.Transport.Unix ? endpoint.ToString() : PeerName.Of(socket.RemoteEndPoint),
        PeerName.Of(socket.LocalEndPoint),
        endpoint.Transport);
}
