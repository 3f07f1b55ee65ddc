using System;

namespace Nsock.Core;

/// <summary>How echo mode serves a TCP or Unix client.</summary>
internal sealed record EchoOptions
{
    /// <summary>Close a client that has sent nothing for this long. Null: never.</summary>
    public TimeSpan? IdleTimeout { get; init; }
}
