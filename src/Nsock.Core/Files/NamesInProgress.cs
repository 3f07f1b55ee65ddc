using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Nsock.Core;

// The files one listener is receiving right now, by final path, shared by all its senders (beside the byte budget).
// A file has one partial, so two senders of the same name at once would write into the same bytes and the first to
// finish would put the other's half-written partial in place as "verified": the second sender is refused instead,
// until the first session's file ends, however it ends.
internal sealed class NamesInProgress
{
    // The comparison of the file system, as near as the platform tells: names differing only in case are one file
    // on Windows and (by default) macOS, two on Linux.
    private readonly HashSet<string> _names = new(
        RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);

    public bool TryClaim(string finalPath)
    {
        lock (_names) return _names.Add(finalPath);
    }

    public void Release(string finalPath)
    {
        lock (_names) _names.Remove(finalPath);
    }
}
