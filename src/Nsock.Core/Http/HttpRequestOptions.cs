using System;
using System.Collections.Generic;

namespace Nsock.Core;

/// <summary>One raw HTTP/1.x request: what to send, and how to treat the connection and the response.</summary>
public sealed record HttpRequestOptions
{
    /// <summary>An absolute http:// or https:// URL.</summary>
    public Uri Url { get; init; } = new("http://127.0.0.1/");

    /// <summary>The request method, sent as given.</summary>
    public string Method { get; init; } = HttpRequest.DefaultMethod;

    /// <summary>Headers to send, in order, after the ones nsock adds (Host, User-Agent, Accept, Connection, Content-Length) unless a given one replaces them.</summary>
    public IReadOnlyList<HttpHeader> Headers { get; init; } = Array.Empty<HttpHeader>();

    /// <summary>The request body (Content-Length is added). Null: none.</summary>
    public byte[]? Body { get; init; }

    /// <summary>Speak HTTP/1.0 instead of HTTP/1.1.</summary>
    public bool Http10 { get; init; }

    /// <summary>Leave out "Connection: close" (the server may then keep the connection; nsock still reads one response and closes).</summary>
    public bool KeepAlive { get; init; }

    /// <summary>Send these bytes exactly instead of building a request (a malformed one included).</summary>
    public byte[]? RawRequest { get; init; }

    /// <summary>Turn bare LF line endings of <see cref="RawRequest"/> into CRLF.</summary>
    public bool FixLineEndings { get; init; }

    /// <summary>Skip certificate verification (the result still says whether it would have passed).</summary>
    public bool Insecure { get; init; }

    /// <summary>How the caller spells its options, for messages (the TLS failure names the flag that skips verification).</summary>
    public IOptionNames Names { get; init; } = PlainOptionNames.Instance;

    /// <summary>The TLS server name to send; default the URL's host (none for an IP address).</summary>
    public string? Sni { get; init; }

    /// <summary>Bounds the connect, the TLS handshake and every wait for response bytes.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Bounds the whole exchange, redirects included (a timeout, named as <see cref="NsockOption.MaxTime"/>); null: no bound.</summary>
    public TimeSpan? MaxTime { get; init; }

    /// <summary>Follow up to this many redirects (GET for 301/302/303, same method for 307/308). 0: show Location only.</summary>
    public int FollowRedirects { get; init; }

    /// <summary>Family for the URL's host.</summary>
    public IpVersion IpVersion { get; init; } = IpVersion.Any;

    /// <summary>The local address to connect from (null: the OS picks); the URL's host resolves to its family only.</summary>
    public System.Net.IPAddress? SourceAddress { get; init; }

    /// <summary>The local port to connect from (0: the OS picks); set with SO_REUSEADDR.</summary>
    public int SourcePort { get; init; }

    /// <summary>How each connection is made: family, per-connect timeout, source.</summary>
    internal ConnectOptions Connect => new() { IpVersion = IpVersion, Timeout = Timeout, SourceAddress = SourceAddress, SourcePort = SourcePort, Proxy = Proxy };

    /// <summary>The proxy the request goes through (a CONNECT or SOCKS5 tunnel; TLS for https:// runs inside it); null: direct.</summary>
    internal ProxyServer? Proxy { get; init; }

    /// <summary>Bounds on the response's header section.</summary>
    public HttpLimits Limits { get; init; } = new();
}
