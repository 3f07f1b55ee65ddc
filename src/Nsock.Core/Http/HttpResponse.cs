using System.Collections.Generic;

namespace Nsock.Core;

/// <summary>
/// The outcome of one raw HTTP exchange: the request exactly as sent, the response as decoded (headers in wire
/// order with duplicates), body framing details, TLS details and timings.
/// </summary>
public sealed record HttpResponse(
    string Url,
    string Remote,
    byte[] Request,
    string Version,
    int Status,
    string Reason,
    IReadOnlyList<HttpHeader> Headers,
    IReadOnlyList<HttpHeader> Trailers,
    IReadOnlyList<HttpInterim> Interim,
    HttpFraming Framing,
    long HeaderBytes,
    long BodyBytes,
    long RawBytes,
    byte[]? Body,
    bool BodyTruncated,
    IReadOnlyList<HttpChunk>? Chunks,
    TlsInfo? Tls,
    HttpTimings Timings,
    string? Location,
    IReadOnlyList<HttpRedirect> Redirects) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "response";

    /// <summary>
    /// What was wrong with the response but still readable, one sentence each (a response with both
    /// Transfer-Encoding and Content-Length, a transfer coding that does not end in chunked); empty when nothing was.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = System.Array.Empty<string>();

    /// <summary>The proxy the request went through (its URL without the password); null: straight to the server. <see cref="Remote"/> is then the server as the URL names it.</summary>
    public string? Via { get; init; }
}
