namespace Nsock.Core;

/// <summary>Bounds on what a server may send, so a hostile one gets a clear error instead of unbounded memory or time.</summary>
public sealed record HttpLimits
{
    /// <summary>Bytes of the header lines of one response head (each interim one counts on its own), and of the trailers; the status line is bounded by <see cref="MaxLineLength"/>.</summary>
    public int MaxHeaderBytes { get; init; } = 64 * 1024;

    /// <summary>Header lines per response.</summary>
    public int MaxHeaderCount { get; init; } = 200;

    /// <summary>Bytes in one line: status line, header line or chunk-size line.</summary>
    public int MaxLineLength { get; init; } = 16 * 1024;

    /// <summary>1xx responses before the final one.</summary>
    public int MaxInterimResponses { get; init; } = 16;

    /// <summary>Body bytes kept in memory for the result when no body stream is given; past it the kept body is cut (the count stays exact).</summary>
    public int MaxCapturedBody { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// Bytes the body must bring in each window as long as the timeout (<see cref="HttpRequestOptions.Timeout"/>) for the
    /// window to start again, so a server dripping a byte a second cannot hold the exchange (0: only total silence for
    /// the timeout ends it). The head has its own rule: it must be complete within the timeout.
    /// </summary>
    public int MinBodyBytesPerTimeout { get; init; } = 1024;
}
