namespace Nsock.Core;

/// <summary>
/// How one file ended, as both sides report it: <see cref="Status"/> is sent or received (verified by
/// <see cref="Algorithm"/>), skipped, refused or failed (<see cref="FileStatus"/>), with <see cref="Reason"/> saying
/// why for the last three. <see cref="Digest"/> is the whole file's digest in lowercase hex, when it was computed.
/// </summary>
public sealed record FileResult(string Path, long Size, string? Digest, bool Verified, FileStatus Status, string? Reason, long ResumedFrom, double Seconds, double BytesPerSecond) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "file";

    /// <summary>The digest that verifies the file (null for a raw send or a served file: nothing is verified).</summary>
    public FileHashAlgorithm? Algorithm { get; init; }

    /// <summary>The <see cref="Digest"/> when it is a SHA-256 (the one digest protocol version 1 knew), else null.</summary>
    public string? Sha256 => Algorithm == FileHashAlgorithm.SHA256 ? Digest : null;

    /// <summary>The result of a raw send (<c>--raw</c>): every byte was handed over and half-closed, nothing was verified.</summary>
    internal static FileResult ForRaw(string path, SendResult sent) =>
        new(path, sent.BytesSent, null, false, FileStatus.Sent, "raw: not verified", 0, sent.Seconds, sent.Seconds > 0 ? sent.BytesSent / sent.Seconds : 0);

    /// <summary>True when the file is in place on the receiving side (verified, or skipped because it already was).</summary>
    public bool Succeeded => Verified || Status == FileStatus.Skipped;
}
