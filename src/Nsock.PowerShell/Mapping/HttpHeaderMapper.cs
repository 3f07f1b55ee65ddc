using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// Get-HttpRaw's -Headers (a hashtable, its values any object) to header lines. What makes a header valid (a name,
/// trimmed text) is the engine's <see cref="HttpRequest"/>; this is only how a PowerShell value becomes text.
/// </summary>
internal static class HttpHeaderMapper
{
    /// <summary>Header name/value pairs to lines, in order; a list value is one line per item.</summary>
    public static IReadOnlyList<HttpHeader> Lines(IReadOnlyList<KeyValuePair<string, object?>> pairs)
    {
        var headers = new List<HttpHeader>();
        foreach (KeyValuePair<string, object?> pair in pairs)
        {
            string name = pair.Key ?? "";
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

    private static string Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
}
