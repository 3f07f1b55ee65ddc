using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// One request and its response on one connection.
internal sealed class HttpExchange
{
    private readonly HttpRequestOptions _o;
    private readonly Uri _url;
    private readonly string _method;
    private readonly byte[]? _body;
    private readonly Stream? _bodyOut;
    private readonly Stream? _raw;
    private readonly bool _mayFollow;
    private readonly IEventSink _events;
    private readonly long _start = Stopwatch.GetTimestamp();

    public HttpExchange(HttpRequestOptions o, Uri url, string method, byte[]? body, Stream? bodyOut, Stream? raw, bool mayFollow, IEventSink events)
    {
        _o = o;
        _url = url;
        _method = method;
        _body = body;
        _bodyOut = bodyOut;
        _raw = raw;
        _mayFollow = mayFollow;
        _events = events;
    }

    public async Task<HttpResponse> RunAsync(IReadOnlyList<HttpRedirect> redirects, CancellationToken ct)
    {
        string host = _url.DnsSafeHost;
        Socket socket;
        double resolved;
        string remote;
        if (_o.Proxy is null)
        {
            Connector.CheckSource(new Endpoint(Transport.Tcp, host, _url.Port), _o.Connect); // a literal host of the source's other family
            IPAddress[] addresses = await NameResolver.ResolveAsync(host, _o.Connect.Family, _o.Timeout, ct).ConfigureAwait(false);
            resolved = Ms();
            socket = await ConnectAsync(addresses, ct).ConfigureAwait(false);
            remote = PeerName.Of(socket.RemoteEndPoint);
        }
        else
        {
            // Through a proxy the name is the proxy's to resolve: "resolved" is the start, and the remote is the
            // target as the URL names it (the socket's peer is the proxy).
            resolved = Ms();
            socket = await Connector.ConnectAsync(new Endpoint(Transport.Tcp, host, _url.Port), _o.Connect, ct).ConfigureAwait(false);
            remote = ConnectTarget.Join(host, _url.Port);
        }
        double connected = Ms();

        Stream stream = new NetworkStream(socket, ownsSocket: true);
        TlsInfo? tls = null;
        double? tlsDone = null;
        try
        {
            if (_url.Scheme == Uri.UriSchemeHttps)
            {
                bool isAddress = IPAddress.TryParse(host, out _);
                (stream, tls) = await TlsConnector.AuthenticateAsync(stream, host, _o.Sni ?? (isAddress ? null : host), _o.Insecure, _o.Timeout, _o.Names, ct).ConfigureAwait(false);
                tlsDone = Ms();
            }

            byte[] request = HttpRequestBuilder.Build(_o, _url, _method, _body);
            try
            {
                await stream.WriteAsync(request, 0, request.Length, ct).ConfigureAwait(false);
                await stream.FlushAsync(ct).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw SocketErrors.FromIo(e, "sending the request");
            }
            double sent = Ms();
            _events.Emit(new HttpRequestSent(_url.ToString(), remote, request));

            var reader = new ResponseReader(stream, _raw, _o.Timeout, _o.Limits.MinBodyBytesPerTimeout, _o.Names.Option(NsockOption.Timeout));
            return await ReadResponseAsync(reader, request, remote, tls, redirects, resolved, connected, tlsDone, sent, ct).ConfigureAwait(false);
        }
        finally
        {
            stream.Dispose();
        }
    }

    /// <summary>
    /// Reads one response from <paramref name="stream"/> as the answer to the request <paramref name="o"/> describes,
    /// with no socket: the parser alone, for the property tests and the fuzz harness. Fails only with NsockException.
    /// </summary>
    internal static Task<HttpResponse> ReadFromAsync(Stream stream, HttpRequestOptions o, CancellationToken ct)
    {
        var exchange = new HttpExchange(o, o.Url, o.Method, o.Body, null, null, mayFollow: false, NullEventSink.Instance);
        byte[] request = HttpRequestBuilder.Build(o, o.Url, o.Method, o.Body);
        var reader = new ResponseReader(stream, null, o.Timeout, o.Limits.MinBodyBytesPerTimeout, o.Names.Option(NsockOption.Timeout));
        return exchange.ReadResponseAsync(reader, request, "-", null, Array.Empty<HttpRedirect>(), 0, 0, null, 0, ct);
    }

    private async Task<HttpResponse> ReadResponseAsync(ResponseReader reader, byte[] request, string remote, TlsInfo? tls,
        IReadOnlyList<HttpRedirect> redirects, double resolved, double connected, double? tlsDone, double sent, CancellationToken ct)
    {
        HttpLimits limits = _o.Limits;
        var interim = new List<HttpInterim>();
        string version, reason;
        int status;
        List<HttpHeader> headers;
        while (true)
        {
            string? statusLine = await reader.ReadLineAsync(limits.MaxLineLength, "status line", ct).ConfigureAwait(false);
            if (statusLine is null) throw new NsockException(NsockErrorKind.Io, "the server closed the connection without sending a response");
            (version, status, reason) = ParseStatusLine(statusLine);
            headers = await ReadHeadersAsync(reader, limits, "response headers", ct).ConfigureAwait(false);
            bool final = status >= 200 || status == 101;
            _events.Emit(new HttpHead(version, status, reason, headers, !final));
            if (final) break;
            interim.Add(new HttpInterim(status, reason, headers));
            if (interim.Count > limits.MaxInterimResponses)
                throw new NsockException(NsockErrorKind.Io, $"the server sent more than {limits.MaxInterimResponses} interim (1xx) responses");
            reader.StartHead();
        }
        long headerBytes = reader.Position;
        string? location = null;
        foreach (HttpHeader h in Named(headers, "Location")) location = h.Value;
        bool discard = _mayFollow && location is not null && RawHttpClient.IsRedirect(status);
        var body = new BodySink(discard ? Stream.Null : _bodyOut, limits.MaxCapturedBody);

        List<HttpHeader> trailers = new();
        List<HttpChunk>? chunks = null;
        var warnings = new List<string>();
        HttpFraming framing = Framing(headers, SentMethod(request) == "HEAD" || status is 101 or 204 or 304, warnings);
        reader.StartBody();
        switch (framing)
        {
            case HttpFraming.Chunked:
                chunks = new List<HttpChunk>();
                trailers = await ReadChunkedAsync(reader, body, chunks, limits, ct).ConfigureAwait(false);
                break;
            case HttpFraming.ContentLength:
                await reader.CopyAsync(ContentLength(headers)!.Value, body.Write, "body", ct).ConfigureAwait(false);
                break;
            case HttpFraming.Close:
                await reader.CopyToEndAsync(body.Write, ct).ConfigureAwait(false);
                break;
        }
        if (_bodyOut is not null && !discard) await _bodyOut.FlushAsync(ct).ConfigureAwait(false);
        if (_raw is not null) await _raw.FlushAsync(ct).ConfigureAwait(false);

        double? firstByte = reader.FirstByteAt == 0 ? null : (reader.FirstByteAt - _start) * 1000.0 / Stopwatch.Frequency;
        var timings = new HttpTimings(resolved, connected, tlsDone, sent, firstByte, Ms());
        return new HttpResponse(_url.ToString(), remote, request, version, status, reason, headers, trailers, interim, framing,
            headerBytes, body.Count, reader.Total, _bodyOut is null ? body.Captured() : null, body.Truncated, chunks, tls, timings, location, new List<HttpRedirect>(redirects).ToArray())
        {
            Warnings = warnings.ToArray(),
            Via = _o.Proxy?.ToString(),
        };
    }

    private static async Task<List<HttpHeader>> ReadChunkedAsync(ResponseReader reader, BodySink body, List<HttpChunk> chunks, HttpLimits limits, CancellationToken ct)
    {
        while (true)
        {
            long rawOffset = reader.Position;
            string? line = await reader.ReadLineAsync(limits.MaxLineLength, "chunk size line", ct).ConfigureAwait(false);
            if (line is null) throw new NsockException(NsockErrorKind.Io, $"the connection closed before the last chunk ({body.Count} body bytes received)");
            int semi = line.IndexOf(';');
            string sizeText = (semi < 0 ? line : line.Substring(0, semi)).Trim();
            string? extensions = semi < 0 ? null : line.Substring(semi + 1).Trim();
            if (sizeText.Length == 0 || sizeText.Length > 15 || !long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long size))
                throw new NsockException(NsockErrorKind.Io, $"chunk size '{Truncate(sizeText)}' is not a hexadecimal number");
            chunks.Add(new HttpChunk(size, rawOffset, body.Count, extensions));
            if (size == 0) return await ReadHeadersAsync(reader, limits, "trailers", ct).ConfigureAwait(false);
            await reader.CopyAsync(size, body.Write, "chunk", ct).ConfigureAwait(false);
            await reader.ExpectLineEndAsync("chunk data", ct).ConfigureAwait(false);
        }
    }

    private static async Task<List<HttpHeader>> ReadHeadersAsync(ResponseReader reader, HttpLimits limits, string what, CancellationToken ct)
    {
        var headers = new List<HttpHeader>();
        long bytes = 0;
        while (true)
        {
            string? line = await reader.ReadLineAsync(limits.MaxLineLength, what.TrimEnd('s') + " line", ct).ConfigureAwait(false);
            if (line is null) throw new NsockException(NsockErrorKind.Io, $"the connection closed in the middle of the {what}");
            if (line.Length == 0) return headers;
            bytes += line.Length + 2;
            if (bytes > limits.MaxHeaderBytes) throw new NsockException(NsockErrorKind.Io, $"the {what} are larger than {limits.MaxHeaderBytes} bytes");
            if (line[0] is ' ' or '\t')
            {
                // An obsolete folded continuation line: joined to the previous header with a space (RFC 9112 5.2).
                if (headers.Count == 0) throw new NsockException(NsockErrorKind.Io, $"the {what} start with a continuation line");
                HttpHeader last = headers[headers.Count - 1];
                headers[headers.Count - 1] = last with { Value = last.Value + " " + line.Trim() };
                continue;
            }
            int colon = line.IndexOf(':');
            if (colon <= 0 || line[colon - 1] is ' ' or '\t')
                throw new NsockException(NsockErrorKind.Io, $"'{Truncate(line)}' in the {what} is not a header line");
            headers.Add(new HttpHeader(line.Substring(0, colon), line.Substring(colon + 1).Trim()));
            if (headers.Count > limits.MaxHeaderCount) throw new NsockException(NsockErrorKind.Io, $"the {what} have more than {limits.MaxHeaderCount} lines");
        }
    }

    internal static (string Version, int Status, string Reason) ParseStatusLine(string line)
    {
        // HTTP/1.1 200 OK   (the reason may be empty, and may hold spaces). The version is HTTP/DIGIT.DIGIT (RFC 9112
        // 2.3); a major version other than 1 is a protocol this reader does not speak, so its framing cannot be trusted.
        string[] parts = line.Split(new[] { ' ' }, 3);
        string name = parts[0];
        if (parts.Length < 2 || name.Length != 8 || !name.StartsWith("HTTP/", StringComparison.Ordinal) || !IsDigit(name[5]) || name[6] != '.' || !IsDigit(name[7])
            || parts[1].Length != 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int status) || status < 100)
            throw new NsockException(NsockErrorKind.Io, $"'{NsockText.PrintableWire(Truncate(line))}' is not an HTTP status line");
        string version = name.Substring(5);
        if (version[0] != '1')
            throw new NsockException(NsockErrorKind.Io, $"the server answered in HTTP/{version}; only HTTP/1.x can be read (RFC 9112: another major version is another protocol)");
        return (version, status, parts.Length > 2 ? parts[2] : "");
    }

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    // How the body is delimited (RFC 9112 6.3): none for HEAD, 1xx, 204 and 304; else Transfer-Encoding wins over
    // Content-Length (both at once is flagged: a sign of request smuggling, and never a message to trust further); a
    // transfer coding that does not end in chunked runs until the server closes; else Content-Length, which must be
    // a valid number (differing values are an error); else until close.
    internal static HttpFraming Framing(IReadOnlyList<HttpHeader> headers, bool noBody, List<string> warnings)
    {
        List<string>? codings = TransferCodings(headers);
        bool hasLength = Named(headers, "Content-Length").Count > 0;
        if (codings is not null && hasLength)
            warnings.Add("the response has both Transfer-Encoding and Content-Length: Transfer-Encoding used, Content-Length ignored (RFC 9112 6.3)");
        if (noBody) return HttpFraming.None;
        if (codings is not null)
        {
            if (codings.Count > 0 && codings[codings.Count - 1].Equals("chunked", StringComparison.OrdinalIgnoreCase)) return HttpFraming.Chunked;
            warnings.Add($"Transfer-Encoding '{NsockText.PrintableWire(Truncate(string.Join(", ", codings)))}' does not end in chunked: the body was read until the server closed the connection (RFC 9112 6.3)");
            return HttpFraming.Close;
        }
        return ContentLength(headers) is long ? HttpFraming.ContentLength : HttpFraming.Close;
    }

    // Every transfer coding, in order, of every Transfer-Encoding header (empty list elements dropped); null when there is no such header.
    private static List<string>? TransferCodings(IReadOnlyList<HttpHeader> headers)
    {
        List<string>? codings = null;
        foreach (HttpHeader h in Named(headers, "Transfer-Encoding"))
        {
            codings ??= new List<string>();
            foreach (string c in h.Value.Split(','))
            {
                if (c.Trim().Length > 0) codings.Add(c.Trim());
            }
        }
        return codings;
    }

    // The headers called name (any case), in order. A loop rather than LINQ: each LINQ call adds its generic code
    // to the native binary (issue #13).
    private static List<HttpHeader> Named(IReadOnlyList<HttpHeader> headers, string name)
    {
        var named = new List<HttpHeader>();
        foreach (HttpHeader h in headers)
        {
            if (h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) named.Add(h);
        }
        return named;
    }

    // The method on the wire: a raw request may say HEAD whatever the Method option holds.
    private string SentMethod(byte[] request)
    {
        if (_o.RawRequest is null) return _method;
        int space = Array.IndexOf(request, (byte)' ');
        return space <= 0 ? "" : HttpText.Latin1.GetString(request, 0, space);
    }

    private static long? ContentLength(IReadOnlyList<HttpHeader> headers)
    {
        long? length = null;
        foreach (HttpHeader h in Named(headers, "Content-Length"))
        {
            foreach (string v in h.Value.Split(','))
            {
                if (!long.TryParse(v.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long n))
                    throw new NsockException(NsockErrorKind.Io, $"Content-Length '{NsockText.PrintableWire(Truncate(h.Value))}' is not a number");
                if (length is long l && l != n) throw new NsockException(NsockErrorKind.Io, $"the response has conflicting Content-Length values ({l} and {n})");
                length = n;
            }
        }
        return length;
    }

    private async Task<Socket> ConnectAsync(IPAddress[] addresses, CancellationToken ct)
    {
        NsockException? last = null;
        foreach (IPAddress a in addresses)
        {
            try
            {
                return await Connector.ConnectOneAsync(new IPEndPoint(a, _url.Port), Transport.Tcp, _o.Timeout, _o.Connect, ct).ConfigureAwait(false);
            }
            catch (NsockException e)
            {
                last = e;
            }
        }
        throw last!;
    }

    private double Ms() => (Stopwatch.GetTimestamp() - _start) * 1000.0 / Stopwatch.Frequency;

    private static string Truncate(string s) => s.Length <= 60 ? s : s.Substring(0, 60) + "...";

    // Where body bytes go: the caller's stream, or kept in memory (bounded) for the result.
    private sealed class BodySink
    {
        private readonly Stream? _out;
        private readonly int _max;
        private MemoryStream? _kept;

        public BodySink(Stream? output, int max)
        {
            _out = output;
            _max = max;
            if (output is null) _kept = new MemoryStream();
        }

        public long Count { get; private set; }

        public bool Truncated { get; private set; }

        public void Write(byte[] buffer, int offset, int count)
        {
            Count += count;
            if (_out is not null)
            {
                _out.Write(buffer, offset, count);
                return;
            }
            int room = (int)Math.Max(0, _max - _kept!.Length);
            if (room < count) Truncated = true;
            _kept.Write(buffer, offset, Math.Min(room, count));
        }

        public byte[]? Captured() => _kept?.ToArray();
    }
}
