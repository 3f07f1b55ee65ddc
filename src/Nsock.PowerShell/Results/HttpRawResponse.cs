using System;
using System.Collections.Generic;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// One raw HTTP exchange as Get-HttpRaw returns it: the request exactly as sent, the status and headers as they
/// came (in wire order in <see cref="RawHeaders"/>, by name in <see cref="Headers"/>), the body decoded and raw,
/// every response byte, the chunks of a chunked body, timings and TLS details.
/// </summary>
public sealed class HttpRawResponse
{
    /// <summary>The URL that answered (the last one, after followed redirects).</summary>
    public string Url { get; set; } = "";

    /// <summary>The server's address and port (through a proxy: the server as the URL names it).</summary>
    public string Remote { get; set; } = "";

    /// <summary>The proxy the request went through (-Proxy), its password never shown; null when it went straight to the server.</summary>
    public string? Via { get; set; }

    /// <summary>The HTTP version of the response, e.g. <c>1.1</c>.</summary>
    public string Version { get; set; } = "";

    /// <summary>The status code, e.g. 200.</summary>
    public int StatusCode { get; set; }

    /// <summary>The reason phrase, e.g. OK.</summary>
    public string Reason { get; set; } = "";

    /// <summary>Headers by name (any case); a name that came more than once has every value, in order.</summary>
    public IDictionary<string, string[]> Headers { get; set; } = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every header line in wire order, duplicates kept.</summary>
    public IReadOnlyList<HttpHeader> RawHeaders { get; set; } = Array.Empty<HttpHeader>();

    /// <summary>Trailer lines of a chunked body.</summary>
    public IReadOnlyList<HttpHeader> Trailers { get; set; } = Array.Empty<HttpHeader>();

    /// <summary>1xx responses that came before this one.</summary>
    public IReadOnlyList<HttpInterim> Interim { get; set; } = Array.Empty<HttpInterim>();

    /// <summary>
    /// How the body was delimited: content-length, chunked, close or none. Text (the engine's HttpFraming as nsock prints
    /// it), not the enum: <c>$r.Framing -eq 'content-length'</c> keeps working, and content-length is no enum name.
    /// </summary>
    public string Framing { get; set; } = "";

    /// <summary>The decoded body (null with -OutFile). Cut at 16 MB; <see cref="BodyTruncated"/> says so.</summary>
    public byte[]? Body { get; set; }

    /// <summary>The body as text, in the charset the response names (else -Encoding). Null with -OutFile.</summary>
    public string? Content { get; set; }

    /// <summary>True when the body was larger than what is kept in memory.</summary>
    public bool BodyTruncated { get; set; }

    /// <summary>Body bytes after decoding the framing (exact, also when cut).</summary>
    public long BodyBytes { get; set; }

    /// <summary>Bytes of the status line and headers.</summary>
    public long HeaderBytes { get; set; }

    /// <summary>Every response byte as it came off the connection, framing included (cut at 16 MB).</summary>
    public byte[]? Raw { get; set; }

    /// <summary>Every byte read from the connection (exact, also when <see cref="Raw"/> is cut).</summary>
    public long RawBytes { get; set; }

    /// <summary>Each chunk of a chunked body: size, offsets, extensions. Null for other framings.</summary>
    public IReadOnlyList<HttpChunk>? Chunks { get; set; }

    /// <summary>Milliseconds to each phase: resolved, connected, TLS done, request sent, first byte, complete.</summary>
    public HttpTimings? Timings { get; set; }

    /// <summary>The TLS handshake and certificate (https only).</summary>
    public TlsInfo? Tls { get; set; }

    /// <summary>The Location header of a redirect.</summary>
    public string? Location { get; set; }

    /// <summary>The redirects that were followed (-MaximumRedirection).</summary>
    public IReadOnlyList<HttpRedirect> Redirects { get; set; } = Array.Empty<HttpRedirect>();

    /// <summary>The request bytes exactly as sent.</summary>
    public byte[] Request { get; set; } = Array.Empty<byte>();

    /// <summary>The request as text (Latin-1: one character per byte).</summary>
    public string RequestText { get; set; } = "";

    /// <summary>With -OutFile: where the body was written.</summary>
    public string? OutFile { get; set; }

    /// <summary>The engine's own record of the response.</summary>
    public HttpResponse? Record { get; set; }

    /// <summary>What was wrong with the response but still readable (RFC 9112): both Transfer-Encoding and Content-Length, a transfer coding not ending in chunked. Also written as warnings.</summary>
    public IReadOnlyList<string> Warnings { get; set; } = Array.Empty<string>();

    /// <inheritdoc />
    public override string ToString() => $"{StatusCode} {Reason}";
}
