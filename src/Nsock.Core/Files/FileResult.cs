namespace Nsock.Core;

/// <summary>
/// How one file ended, as both sides report it: <see cref="Status"/> is sent or received (verified by SHA-256),
/// skipped, refused or failed, with <see cref="Reason"/> saying why for the last three.
/// </summary>
public sealed record FileResult(string Path, long Size, string? Sha256, bool Verified, string Status, string? Reason, long ResumedFrom, double Seconds, double BytesPerSecond) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "file";

    /// <summary>True when the file is in place on the receiving side (verified, or skipped because it already was).</summary>
    public bool Succeeded => Verified || Status == "skipped";
}
