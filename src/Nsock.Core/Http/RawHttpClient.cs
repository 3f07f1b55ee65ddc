using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

/// <summary>
/// One HTTP/1.x exchange over TCP or TLS, byte-exact: the request as built (or given raw), the response read
/// with bounded headers and a streamed body (Content-Length, chunked with trailers, or until close). Redirects
/// are followed only when asked.
/// </summary>
internal static class RawHttpClient
{
    /// <summary>
    /// Sends the request and reads the response. The decoded body of the final response goes to
    /// <paramref name="body"/> (kept in the result, up to <see cref="HttpLimits.MaxCapturedBody"/>, when null);
    /// every response byte, framing included, goes to <paramref name="raw"/> as it arrives. The request and each
    /// response head are reported to <paramref name="events"/> as they happen.
    /// </summary>
    public static async Task<HttpResponse> SendAsync(HttpRequestOptions o, Stream? body, Stream? raw, IEventSink events, CancellationToken ct)
    {
        Check(o);
        if (o.MaxTime is not TimeSpan limit) return await SendAllAsync(o, body, raw, events, ct).ConfigureAwait(false);
        // One deadline over everything: the per-wait timeout cannot see a server that sends a byte a second.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(limit);
        try
        {
            return await SendAllAsync(o, body, raw, events, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested
            && (e is OperationCanceledException || (e is NsockException n && n.Kind != NsockErrorKind.TimedOut) || e is IOException))
        {
            throw new NsockException(NsockErrorKind.TimedOut,
                $"the exchange did not complete within {o.Names.Option(NsockOption.MaxTime)} {limit.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}s", e);
        }
    }

    private static async Task<HttpResponse> SendAllAsync(HttpRequestOptions o, Stream? body, Stream? raw, IEventSink events, CancellationToken ct)
    {
        Uri url = o.Url;
        string method = o.Method;
        byte[]? requestBody = o.Body;
        var redirects = new List<HttpRedirect>();
        while (true)
        {
            bool mayFollow = redirects.Count < o.FollowRedirects && o.RawRequest is null;
            HttpResponse r = await new HttpExchange(o, url, method, requestBody, body, raw, mayFollow, events).RunAsync(redirects, ct).ConfigureAwait(false);
            if (!mayFollow || r.Location is null || !IsRedirect(r.Status)) return r;
            redirects.Add(new HttpRedirect(url.ToString(), r.Status, r.Location));
            url = new Uri(url, r.Location);
            if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
                throw NsockException.BadInput($"redirect to '{r.Location}' leaves HTTP");
            if (r.Status == 303 || (r.Status is 301 or 302 && method != "GET" && method != "HEAD"))
            {
                method = "GET";
                requestBody = null;
            }
        }
    }

    internal static bool IsRedirect(int status) => status is 301 or 302 or 303 or 307 or 308;

    /// <summary>What HTTP cannot carry fails here, before any socket: the URL, the bounds, the method and the headers.</summary>
    internal static void Check(HttpRequestOptions o)
    {
        if (!o.Url.IsAbsoluteUri || (o.Url.Scheme != Uri.UriSchemeHttp && o.Url.Scheme != Uri.UriSchemeHttps))
            throw NsockException.BadInput($"'{o.Url}' is not an http:// or https:// URL");
        if (o.Url.DnsSafeHost.Length == 0) throw NsockException.BadInput($"'{o.Url}' has no host");
        if (o.FollowRedirects < 0) throw NsockException.BadInput($"redirects to follow must be 0 or more, not {o.FollowRedirects}");
        if (o.Timeout <= TimeSpan.Zero && o.Timeout != Timeout.InfiniteTimeSpan) throw NsockException.BadInput("timeout must be more than 0 seconds");
        if (o.MaxTime is TimeSpan m && (m <= TimeSpan.Zero || m.TotalMilliseconds > int.MaxValue - 1))
            throw NsockException.BadInput(Seconds.OutOfRange(o.Names.Option(NsockOption.MaxTime), m.TotalSeconds));
        HttpRequestBuilder.Build(o, o.Url, o.Method, o.Body); // a bad method or header
    }
}
