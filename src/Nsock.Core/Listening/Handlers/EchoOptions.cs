using System;

namespace Nsock.Core;

/// <summary>How echo mode serves a TCP or Unix client.</summary>
internal sealed record EchoOptions
{
    /// <summary>Close a client that has sent nothing for this long. Null: never.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>Where both directions are recorded (--hex-dump, --output); null: nowhere.</summary>
    public SessionRecorder? Recorder { get; init; }
}
