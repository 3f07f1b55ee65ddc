using System;

namespace Nsock.Core;

/// <summary>How <see cref="FileSender"/> connects and what it asks of the receiver.</summary>
public sealed record FileSendOptions
{
    /// <summary>Family and connect timeout.</summary>
    public ConnectOptions Connect { get; init; } = new();

    /// <summary>Ask the receiver to continue files it holds a partial of; the whole file is still verified.</summary>
    public bool Resume { get; init; }

    /// <summary>The digest that verifies each file (XXH3-128 unless SHA-256 is asked for).</summary>
    public FileHashAlgorithm Hash { get; init; } = FileHashAlgorithm.XXH128;

    /// <summary>How long the receiver may take to answer (it hashes and renames between files).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>TLS on the connection (send-file --tls): the buffered path, as sendfile cannot encrypt.</summary>
    internal TlsClient? Tls { get; init; }
}
