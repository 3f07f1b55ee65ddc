namespace Nsock.Core;

/// <summary>A file's transfer began; <see cref="Offset"/> is where it resumes (0 for a whole file).</summary>
public sealed record FileStarted(string Path, long Size, long Offset) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "file-started";
}
