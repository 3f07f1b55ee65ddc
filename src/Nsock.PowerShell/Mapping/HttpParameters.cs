using System;
using System.Collections.Generic;

namespace Nsock.PowerShell;

/// <summary>Get-HttpRaw's parameter values, as bound (null: not given), for <see cref="HttpOptionsMapper"/>.</summary>
internal sealed class HttpParameters
{
    public Uri? Uri { get; set; }

    public string? Method { get; set; }

    /// <summary>Headers in the order given; a value that is a list becomes one line per item.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Headers { get; set; } = Array.Empty<KeyValuePair<string, object?>>();

    /// <summary>-Body (already encoded when it was a string).</summary>
    public byte[]? Body { get; set; }

    /// <summary>-InFile's bytes.</summary>
    public byte[]? InFile { get; set; }

    public bool Http10 { get; set; }

    public bool KeepAlive { get; set; }

    public byte[]? RawRequest { get; set; }

    public bool FixLineEndings { get; set; }

    public bool SkipCertificateCheck { get; set; }

    public string? ServerName { get; set; }

    public int? MaximumRedirection { get; set; }

    public double? Timeout { get; set; }

    public bool IPv4 { get; set; }

    public bool IPv6 { get; set; }
}
