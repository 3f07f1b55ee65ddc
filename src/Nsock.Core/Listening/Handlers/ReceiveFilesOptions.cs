using System;

namespace Nsock.Core;

/// <summary>How receive-files mode takes files from a sender.</summary>
internal sealed record ReceiveFilesOptions
{
    /// <summary>How the front end spells its options, for the reasons a file is skipped, refused or kept partial.</summary>
    public IOptionNames Names { get; init; } = PlainOptionNames.Instance;

    /// <summary>How long a sender may send nothing before it is dropped, when the listener names no idle timeout.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long the greeting and each file header (with its name) may take to arrive whole, when the listener names no idle timeout.</summary>
    public static readonly TimeSpan DefaultHeaderTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The least a sender must send of a file's bytes, per second of waiting for it (Apache's mod_reqtimeout asks the same of a request body).</summary>
    public const long DefaultMinRate = 500;

    /// <summary>The folder files are received into (it exists: the listener checked before binding).</summary>
    public string Directory { get; init; } = "";

    /// <summary>Let received files replace existing ones.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Flush each received file to disk (fsync) before it is renamed into place and reported verified.</summary>
    public bool SyncFiles { get; init; }

    /// <summary>The most bytes of files accepted in all, over every sender of the run (null: no limit).</summary>
    public long? MaxBytes { get; init; }

    /// <summary>Drop a sender that has sent nothing for this long (null: never).</summary>
    public TimeSpan? IdleTimeout { get; init; } = DefaultIdleTimeout;

    /// <summary>Drop a sender whose greeting or next file header (name included) has not arrived whole this long after it was due.</summary>
    public TimeSpan HeaderTimeout { get; init; } = DefaultHeaderTimeout;

    /// <summary>Drop a sender that sends fewer than this many bytes of a file per second of waiting, judged per <see cref="RateWindow"/> (0: no such rule).</summary>
    public long MinRate { get; init; } = DefaultMinRate;

    /// <summary>The stretch of waiting over which <see cref="MinRate"/> is judged.</summary>
    public TimeSpan RateWindow { get; init; } = DefaultIdleTimeout;
}
