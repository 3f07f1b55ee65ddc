using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>Get-HttpRaw's parameters to HttpRequestOptions, as <c>nsock http</c> builds them.</summary>
internal static class HttpOptionsMapper
{
    public static HttpRequestOptions Map(HttpParameters p)
    {
        Uri uri = p.Uri ?? throw BadInput.Error("-Uri is missing");
        if (!uri.IsAbsoluteUri) throw BadInput.Error($"'{uri}' is not a URL (use http://host[:port]/path or https://...)");
        if (p.Body is not null && p.InFile is not null) throw BadInput.Error("give -Body or -InFile, not both");
        if (p.FixLineEndings && p.RawRequest is null) throw BadInput.Error("-FixLineEndings applies to -RawRequest only");
        var defaults = new HttpRequestOptions();
        return new HttpRequestOptions
        {
            Names = ParameterNames.Instance,
            Url = uri,
            Method = string.IsNullOrEmpty(p.Method) ? defaults.Method : p.Method!,
            Headers = Headers(p.Headers),
            Body = p.Body ?? p.InFile,
            Http10 = p.Http10,
            KeepAlive = p.KeepAlive,
            RawRequest = p.RawRequest,
            FixLineEndings = p.FixLineEndings,
            Insecure = p.SkipCertificateCheck,
            Sni = p.ServerName,
            // 10 s for the connect, the handshake and every wait for response bytes; 0: no limit.
            Timeout = Timeouts.OrInfinite(Timeouts.OrDefault(p.Timeout)),
            FollowRedirects = p.MaximumRedirection ?? defaults.FollowRedirects,
            IpVersion = IpVersions.From(p.IPv4, p.IPv6),
        };
    }

    /// <summary>Header name/value pairs to lines; a list value is one line per item, in order.</summary>
    public static IReadOnlyList<HttpHeader> Headers(IReadOnlyList<KeyValuePair<string, object?>> pairs)
    {
        var headers = new List<HttpHeader>();
        foreach (KeyValuePair<string, object?> pair in pairs)
        {
            string name = (pair.Key ?? "").Trim();
            if (name.Length == 0) throw BadInput.Error("a header name is empty");
            if (pair.Value is IEnumerable items and not string)
            {
                foreach (object? item in items) headers.Add(new HttpHeader(name, Text(item)));
            }
            else
            {
                headers.Add(new HttpHeader(name, Text(pair.Value)));
            }
        }
        return headers;
    }

    private static string Text(object? value) => (Convert.ToString(value, CultureInfo.InvariantCulture) ?? "").Trim();
}
