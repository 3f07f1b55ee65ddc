using System;

namespace Nsock.Core;

/// <summary>How serve-files mode hands out files.</summary>
internal sealed record ServeFilesOptions
{
    /// <summary>How long a client may take to name its file, or to take the next bytes, when the listener names no idle timeout.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long the whole file name may take to arrive, when the listener names no idle timeout (a person may be typing it into nc).</summary>
    public static readonly TimeSpan DefaultNameTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The folder files are served from (it exists: the listener checked before binding).</summary>
    public string Directory { get; init; } = "";

    /// <summary>Drop a client that sends nothing, or stops reading, for this long (null: never).</summary>
    public TimeSpan? IdleTimeout { get; init; } = DefaultIdleTimeout;

    /// <summary>Drop a client whose file name has not arrived whole this long after it connected.</summary>
    public TimeSpan NameTimeout { get; init; } = DefaultNameTimeout;
}
