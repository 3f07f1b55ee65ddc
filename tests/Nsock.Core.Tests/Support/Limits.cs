using System;

namespace Nsock.Core.Tests;

// One place for how long a test may wait: long enough for a loaded 2-core CI box, short enough that a hang
// fails the run instead of stalling it.
internal static class Limits
{
    /// <summary>The bound on any wait that should finish (a transfer, a listener stopping).</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>How long to watch for something that must not happen (a reply that should not come).</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);
}
