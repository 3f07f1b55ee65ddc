using System;

namespace Nsock.Core;

/// <summary>How serve-files mode hands out files.</summary>
internal sealed record ServeFilesOptions
{
    /// <summary>How long a client may take to name its file, or to take the next bytes, when the listener names no idle timeout.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The folder files are served from (it exists: the listener checked before binding).</summary>
    public string Directory { get; init; } = "";

    /// <summary>Drop a client that names no file, or stops reading, for this long.</summary>
    public TimeSpan IdleTimeout { get; init; } = DefaultIdleTimeout;
}
