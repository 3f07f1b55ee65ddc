namespace Nsock.Core;

/// <summary>Bytes moved so far, for the current file and for the whole run, with the current file's rate (bytes per second).</summary>
public sealed record FileProgress(string Path, long Bytes, long Size, double BytesPerSecond, long TotalBytes, long TotalSize) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "progress";
}
