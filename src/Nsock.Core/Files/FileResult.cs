namespace Nsock.Core;

/// <summary>
/// How one file ended, as both sides report it: <see cref="Status"/> is sent or received (verified by SHA-256),
/// skipped, refused or failed (<see cref="FileStatus"/>), with <see cref="Reason"/> saying why for the last three.
/// </summary>
public sealed record FileResult(string Path, long Size, string? Sha256, bool Verified, FileStatus Status, string? Reason, long ResumedFrom, double Seconds, double BytesPerSecond) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "file";

    /// <summary>The result of a raw send (<c>--raw</c>): every byte was handed over and half-closed, nothing was verified.</summary>
    internal static FileResult ForRaw(string path, SendResult sent) =>
        new(path, sent.BytesSent, null, false, FileStatus.Sent, "raw: not verified", 0, sent.Seconds, sent.Seconds > 0 ? sent.BytesSent / sent.Seconds : 0);

    /// <summary>True when the file is in place on the receiving side (verified, or skipped because it already was).</summary>
    public bool Succeeded => Verified || Status == FileStatus.Skipped;
}
