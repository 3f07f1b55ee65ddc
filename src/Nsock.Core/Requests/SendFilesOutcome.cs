using System.Collections.Generic;

namespace Nsock.Core;

/// <summary>How a send of files ended: one result per file sent, and the failure when any did not arrive (<see cref="NsockErrorKind.Io"/>).</summary>
public sealed record SendFilesOutcome(IReadOnlyList<FileResult> Results, NsockException? Error)
{
    /// <summary>True when every file is in place on the receiving side (or, raw, every byte was handed over).</summary>
    public bool Succeeded => Error is null;
}
