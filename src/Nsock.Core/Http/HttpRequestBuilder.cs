using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace Nsock.Core;

// Builds the request bytes: the request line, the headers nsock adds unless the user gave their own, the
// user's headers in order, and the body. A raw request is sent as given (bare LFs fixed only when asked).
internal static class HttpRequestBuilder
{
    private static readonly string s_userAgent = "nsock/" + (typeof(HttpRequestBuilder).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0");

    public static byte[] Build(HttpRequestOptions o, Uri url, string method, byte[]? body)
    {
        if (o.RawRequest is not null) return o.FixLineEndings ? FixLf(o.RawRequest) : o.RawRequest;
        ValidateToken(method, "method");
        foreach (HttpHeader h in o.Headers)
        {
            ValidateToken(h.Name, "header name");
            if (h.Value.IndexOfAny(new[] { '\r', '\n', '\0' }) >= 0)
                throw NsockException.BadInput($"header '{h.Name}' has a line break or NUL in its value");
        }

        bool Has(string name)
        {
            foreach (HttpHeader h in o.Headers)
            {
                if (string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)) return true;
            }
            return false;
        }
        var lines = new List<string> { $"{method} {url.PathAndQuery} HTTP/{(o.Http10 ? "1.0" : "1.1")}" };
        if (!Has("Host")) lines.Add("Host: " + (url.IsDefaultPort ? url.Host : url.Host + ":" + url.Port));
        if (!Has("User-Agent")) lines.Add("User-Agent: " + s_userAgent);
        if (!Has("Accept")) lines.Add("Accept: */*");
        if (!o.KeepAlive && !Has("Connection")) lines.Add("Connection: close");
        if (body is not null && !Has("Content-Length") && !Has("Transfer-Encoding")) lines.Add("Content-Length: " + body.Length);
        foreach (HttpHeader h in o.Headers) lines.Add(h.Name + ": " + h.Value);

        using var request = new MemoryStream();
        byte[] head = HttpText.Latin1.GetBytes(string.Join("\r\n", lines) + "\r\n\r\n");
        request.Write(head, 0, head.Length);
        if (body is not null) request.Write(body, 0, body.Length);
        return request.ToArray();
    }

    private static byte[] FixLf(byte[] raw)
    {
        using var fixedUp = new MemoryStream(raw.Length + 16);
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] == (byte)'\n' && (i == 0 || raw[i - 1] != (byte)'\r')) fixedUp.WriteByte((byte)'\r');
            fixedUp.WriteByte(raw[i]);
        }
        return fixedUp.ToArray();
    }

    private static void ValidateToken(string s, string what)
    {
        if (s.Length == 0) throw NsockException.BadInput($"{what} is empty");
        foreach (char c in s)
        {
            bool ok = c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".IndexOf(c) < 0;
            if (!ok) throw NsockException.BadInput($"{what} '{s}' contains '{c}', which HTTP does not allow there");
        }
    }
}
