using System.Collections.Generic;
using System.Text;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary>The --json shape of an HTTP exchange: the body as text when it is UTF-8, else as base64; the request as text.</summary>
internal sealed record HttpJson(
    string Url, string Remote, string Request, string Version, int Status, string Reason,
    IReadOnlyList<HttpHeader> Headers, IReadOnlyList<HttpHeader> Trailers, IReadOnlyList<HttpInterim> Interim,
    HttpFraming Framing, long HeaderBytes, long BodyBytes, long RawBytes, string? Body, string? BodyBase64, bool BodyTruncated,
    IReadOnlyList<HttpChunk>? Chunks, TlsInfo? Tls, HttpTimings Timings, string? Location, IReadOnlyList<HttpRedirect> Redirects,
    IReadOnlyList<string> Warnings) : NsockEvent
{
    private static readonly UTF8Encoding s_strictUtf8 = new(false, throwOnInvalidBytes: true);

    public override string Event => "response";

    /// <summary>The proxy the request went through, without its password (left out when there was none).</summary>
    public string? Via { get; init; }

    public static HttpJson From(HttpResponse r)
    {
        string? text = null, base64 = null;
        if (r.Body is byte[] body)
        {
            try { text = s_strictUtf8.GetString(body); }
            catch (DecoderFallbackException) { base64 = System.Convert.ToBase64String(body); }
        }
        return new HttpJson(r.Url, r.Remote, Encoding.Latin1.GetString(r.Request), r.Version, r.Status, r.Reason, r.Headers, r.Trailers, r.Interim,
            r.Framing, r.HeaderBytes, r.BodyBytes, r.RawBytes, text, base64, r.BodyTruncated, r.Chunks, r.Tls, r.Timings, r.Location, r.Redirects, r.Warnings)
        {
            Via = r.Via,
        };
    }
}
