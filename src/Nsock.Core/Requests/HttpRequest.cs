using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

/// <summary>
/// One raw HTTP/1.x exchange as the user asked for it (<c>nsock http</c>, <c>Get-HttpRaw</c>): the URL, what to send,
/// and how to treat the connection. Values left null take the defaults (GET, a 10 s timeout, no redirects followed).
/// <see cref="Validate"/> checks it and gives the plan that runs. Not the request on the wire: that is built from the
/// plan's <see cref="HttpRequestOptions"/> and reported as <see cref="HttpRequestSent"/>.
/// </summary>
public sealed record HttpRequest
{
    /// <summary>The method sent when none is given.</summary>
    public const string DefaultMethod = "GET";

    /// <summary>An absolute http:// or https:// URL, as the user wrote it.</summary>
    public string? Url { get; init; }

    /// <summary>The request method, sent as given; null: <see cref="DefaultMethod"/>.</summary>
    public string? Method { get; init; }

    /// <summary>Headers to send, in order (names and values are trimmed); a given Host, User-Agent, Accept or Connection replaces nsock's.</summary>
    public IReadOnlyList<HttpHeader> Headers { get; init; } = Array.Empty<HttpHeader>();

    /// <summary>The request body given as a value (already bytes: how text is encoded is the front end's).</summary>
    public byte[]? Body { get; init; }

    /// <summary>The request body read from a file (the front end reads it); excludes <see cref="Body"/>.</summary>
    public byte[]? BodyFile { get; init; }

    /// <summary>Speak HTTP/1.0 instead of HTTP/1.1.</summary>
    public bool Http10 { get; init; }

    /// <summary>Do not send "Connection: close" (one response is still read, then the connection is closed).</summary>
    public bool KeepAlive { get; init; }

    /// <summary>Send these bytes exactly instead of building a request (a malformed one included).</summary>
    public byte[]? RawRequest { get; init; }

    /// <summary>Turn bare LF line endings of <see cref="RawRequest"/> into CRLF; only with a raw request.</summary>
    public bool FixLineEndings { get; init; }

    /// <summary>Skip certificate verification (the response still says whether it would have passed).</summary>
    public bool Insecure { get; init; }

    /// <summary>The TLS server name to send; null: the URL's host (none for an IP address).</summary>
    public string? Sni { get; init; }

    /// <summary>
    /// Seconds for the connect, the TLS handshake and every wait for response bytes, as given; null:
    /// <see cref="ConnectTarget.DefaultTimeoutSeconds"/>, 0: no limit.
    /// </summary>
    public double? Timeout { get; init; }

    /// <summary>
    /// Seconds the whole exchange may take (connect, TLS, request, every response byte, redirects followed), as
    /// given; null or 0: no limit. <see cref="Timeout"/> bounds each wait, so a server that drips a byte at a time
    /// never trips it: this does (as curl's --max-time).
    /// </summary>
    public double? MaxTime { get; init; }

    /// <summary>Redirects to follow (GET for 301/302/303, the same method for 307/308); null or 0: the Location is shown, not followed.</summary>
    public int? FollowRedirects { get; init; }

    /// <summary>IPv4 only.</summary>
    public bool IPv4 { get; init; }

    /// <summary>IPv6 only.</summary>
    public bool IPv6 { get; init; }

    /// <summary>The local address (and port) to connect from, as one text: see <see cref="ConnectTarget.Source"/>.</summary>
    public string? Source { get; init; }

    /// <summary>The local address to connect from, apart from the port: see <see cref="ConnectTarget.SourceAddress"/>.</summary>
    public string? SourceAddress { get; init; }

    /// <summary>The local port to connect from: see <see cref="ConnectTarget.SourcePort"/>.</summary>
    public int? SourcePort { get; init; }

    /// <summary>The proxy to send the request through: see <see cref="ConnectTarget.Proxy"/>. The request goes through the tunnel as it would go to the server (https: TLS inside it).</summary>
    public string? Proxy { get; init; }

    /// <summary>The proxy's user name and password when not in <see cref="Proxy"/>'s URL: see <see cref="ConnectTarget.ProxyCredential"/>.</summary>
    public System.Net.NetworkCredential? ProxyCredential { get; init; }

    /// <summary>The URL as given, for messages and error targets.</summary>
    public override string ToString() => Url ?? "";

    /// <summary>Checks every value (named as <paramref name="names"/> spells them) before any socket is opened.</summary>
    public HttpPlan Validate(IOptionNames names)
    {
        if (Url is null) throw NsockException.BadInput("no URL was given (use http://host[:port]/path or https://...)");
        if (!Uri.TryCreate(Url, UriKind.Absolute, out Uri? uri))
            throw NsockException.BadInput($"'{Url}' is not a URL (use http://host[:port]/path or https://...)");
        if (Body is not null && BodyFile is not null)
            throw NsockException.BadInput($"give {names.Option(NsockOption.Body)} or {names.Option(NsockOption.BodyFile)}, not both");
        if (FixLineEndings && RawRequest is null)
            throw NsockException.BadInput($"{names.Option(NsockOption.FixLineEndings)} applies to {names.Option(NsockOption.RawRequest)} only");
        if (FollowRedirects is < 0)
            throw NsockException.BadInput($"{names.Option(NsockOption.FollowRedirects)} must be 0 or more, not {FollowRedirects}");
        double? maxTime = Seconds.Check(MaxTime, names.Option(NsockOption.MaxTime));
        var connection = new ConnectTarget { Timeout = Timeout, IPv4 = IPv4, IPv6 = IPv6, Source = Source, SourceAddress = SourceAddress, SourcePort = SourcePort, Proxy = Proxy, ProxyCredential = ProxyCredential };
        ConnectOptions source = connection.ConnectOptions(names); // the source, checked against -4/-6
        var options = new HttpRequestOptions
        {
            Names = names,
            Url = uri,
            Method = Method ?? DefaultMethod,
            Headers = CheckedHeaders(names),
            Body = Body ?? BodyFile,
            Http10 = Http10,
            KeepAlive = KeepAlive,
            RawRequest = RawRequest,
            FixLineEndings = FixLineEndings,
            Insecure = Insecure,
            Sni = Sni,
            Timeout = connection.TimeoutOrDefault(names) ?? System.Threading.Timeout.InfiniteTimeSpan,
            FollowRedirects = FollowRedirects ?? 0,
            MaxTime = maxTime is > 0 ? TimeSpan.FromSeconds(maxTime.Value) : null,
            IpVersion = connection.Family(names),
            SourceAddress = source.SourceAddress,
            SourcePort = source.SourcePort,
            Proxy = source.Proxy,
        };
        RawHttpClient.Check(options); // the scheme, the host, the method and the headers: nothing opens with a request HTTP cannot carry
        return new HttpPlan(options);
    }

    private List<HttpHeader> CheckedHeaders(IOptionNames names)
    {
        var headers = new List<HttpHeader>(Headers.Count);
        foreach (HttpHeader h in Headers)
        {
            string name = (h.Name ?? "").Trim();
            if (name.Length == 0) throw NsockException.BadInput($"a header name in {names.Option(NsockOption.Headers)} is empty");
            headers.Add(new HttpHeader(name, (h.Value ?? "").Trim()));
        }
        return headers;
    }
}

/// <summary>A checked <see cref="HttpRequest"/>: the exchange to run.</summary>
public sealed record HttpPlan(HttpRequestOptions Options)
{
    /// <summary>
    /// Sends the request and reads the response (following redirects when asked). The decoded body of the final
    /// response goes to <paramref name="body"/> (kept in the response, bounded, when null); every response byte,
    /// framing included, goes to <paramref name="raw"/>. The request and each response head are reported to
    /// <paramref name="sink"/> as they happen. A status of 400 or more is a response, not a failure; failing to
    /// talk HTTP at all (refused, timed out, a malformed response, TLS) throws.
    /// </summary>
    public async Task<HttpOutcome> RunAsync(Stream? body, Stream? raw, IEventSink sink, CancellationToken ct)
    {
        HttpResponse response = await RawHttpClient.SendAsync(Options, body, raw, sink, ct).ConfigureAwait(false);
        return new HttpOutcome(response);
    }
}

/// <summary>How an HTTP exchange ended: the final response (whatever its status: neither face treats a status as a failure).</summary>
public sealed record HttpOutcome(HttpResponse Response)
{
    /// <summary>The final response is a redirect (301, 302, 303, 307, 308) with a Location that was not followed because none was asked for.</summary>
    public bool RedirectNotFollowed => Response.Location is not null && Response.Redirects.Count == 0 && RawHttpClient.IsRedirect(Response.Status);
}
