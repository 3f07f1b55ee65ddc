namespace Nsock.Core;

/// <summary>A client's connection ended; <see cref="Error"/> says why when it did not end cleanly.</summary>
public sealed record ClientClosed(long Client, string Remote, long BytesReceived, long BytesSent, double Seconds, string? Error) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "closed";
}
