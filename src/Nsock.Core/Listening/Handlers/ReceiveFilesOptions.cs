using System;

namespace Nsock.Core;

/// <summary>How receive-files mode takes files from a sender.</summary>
internal sealed record ReceiveFilesOptions
{
    /// <summary>How the front end spells its options, for the reasons a file is skipped, refused or kept partial.</summary>
    public IOptionNames Names { get; init; } = PlainOptionNames.Instance;

    /// <summary>How long a sender may send nothing before it is dropped, when the listener names no idle timeout.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The folder files are received into (it exists: the listener checked before binding).</summary>
    public string Directory { get; init; } = "";

    /// <summary>Let received files replace existing ones.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Flush each received file to disk (fsync) before it is renamed into place and reported verified.</summary>
    public bool SyncFiles { get; init; }

    /// <summary>The most bytes of files accepted in all, over every sender of the run (null: no limit).</summary>
    public long? MaxBytes { get; init; }

    /// <summary>Drop a sender that has sent nothing for this long.</summary>
    public TimeSpan IdleTimeout { get; init; } = DefaultIdleTimeout;
}
