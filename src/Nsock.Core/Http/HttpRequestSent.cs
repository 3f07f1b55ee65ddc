namespace Nsock.Core;

/// <summary>The request bytes exactly as they were written to the connection.</summary>
public sealed record HttpRequestSent(string Url, string Remote, byte[] Request) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "request";
}
