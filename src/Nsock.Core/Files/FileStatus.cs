namespace Nsock.Core;

/// <summary>How one file of a transfer ended (<see cref="FileResult.Status"/>); printed lowercase (<see cref="NsockText"/>).</summary>
public enum FileStatus
{
    /// <summary>The sender's side: the receiver has it, verified by its digest (or, raw, every byte was handed over).</summary>
    Sent,

    /// <summary>The receiver's side: it is in place, verified by its digest.</summary>
    Received,

    /// <summary>The receiver already has a file of that name and may not replace it.</summary>
    Skipped,

    /// <summary>The receiver would not take it (an unsafe name, a folder in the way, its byte limit, it cannot write there).</summary>
    Refused,

    /// <summary>It did not arrive whole: the digest differed, the connection ended, or the file could not be read.</summary>
    Failed,
}
