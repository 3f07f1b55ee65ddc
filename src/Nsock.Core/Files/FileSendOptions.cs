using System;

namespace Nsock.Core;

/// <summary>How <see cref="FileSender"/> connects and what it asks of the receiver.</summary>
public sealed record FileSendOptions
{
    /// <summary>Family and connect timeout.</summary>
    public ConnectOptions Connect { get; init; } = new();

    /// <summary>Ask the receiver to continue files it holds a partial of; the whole file is still verified.</summary>
    public bool Resume { get; init; }

    /// <summary>How long the receiver may take to answer (it hashes and renames between files).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}
