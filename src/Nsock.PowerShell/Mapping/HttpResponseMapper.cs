using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>The engine's HttpResponse (plus the raw bytes Get-HttpRaw kept) to the object Get-HttpRaw writes.</summary>
internal static class HttpResponseMapper
{
    private static readonly Encoding s_latin1 = Encoding.GetEncoding(28591);

    public static HttpRawResponse From(HttpResponse r, byte[]? raw, Encoding fallback, string? outFile)
    {
        var byName = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (IGrouping<string, HttpHeader> g in r.Headers.GroupBy(h => h.Name, StringComparer.OrdinalIgnoreCase))
            byName[g.First().Name] = g.Select(h => h.Value).ToArray();
        return new HttpRawResponse
        {
            Url = r.Url,
            Remote = r.Remote,
            Via = r.Via,
            Version = r.Version,
            StatusCode = r.Status,
            Reason = r.Reason,
            Headers = byName,
            RawHeaders = r.Headers,
            Trailers = r.Trailers,
            Interim = r.Interim,
            Framing = r.Framing.ToText(),
            Body = r.Body,
            Content = r.Body is null ? null : CharsetOf(r.Headers, fallback).GetString(r.Body),
            BodyTruncated = r.BodyTruncated,
            BodyBytes = r.BodyBytes,
            HeaderBytes = r.HeaderBytes,
            Raw = raw,
            RawBytes = r.RawBytes,
            Chunks = r.Chunks,
            Timings = r.Timings,
            Tls = r.Tls,
            Location = r.Location,
            Redirects = r.Redirects,
            Warnings = r.Warnings,
            Request = r.Request,
            RequestText = s_latin1.GetString(r.Request),
            OutFile = outFile,
            Record = r,
        };
    }

    /// <summary>The charset the last Content-Type names (<c>text/html; charset=iso-8859-1</c>), else <paramref name="fallback"/>.</summary>
    public static Encoding CharsetOf(IReadOnlyList<HttpHeader> headers, Encoding fallback)
    {
        HttpHeader? type = headers.LastOrDefault(h => h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase));
        if (type is null) return fallback;
        foreach (string part in type.Value.Split(';').Skip(1))
        {
            string[] kv = part.Split(new[] { '=' }, 2);
            if (kv.Length != 2 || !kv[0].Trim().Equals("charset", StringComparison.OrdinalIgnoreCase)) continue;
            try
            {
                return EncodingNames.Resolve(kv[1].Trim().Trim('"'));
            }
            catch (NsockException)
            {
                return fallback; // a charset .NET does not know: show what -Encoding makes of it
            }
        }
        return fallback;
    }
}
