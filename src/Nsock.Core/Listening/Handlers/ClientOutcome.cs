namespace Nsock.Core;

/// <summary>How serving one client ended: what <see cref="ClientClosed"/> reports (and, for the one client of plain relay mode, the relay's result).</summary>
internal sealed record ClientOutcome(long BytesReceived, long BytesSent, double Seconds, string? Error)
{
    /// <summary>The relay's own result, when the client was relayed to input and output.</summary>
    public RelayResult? Relay { get; init; }
}
