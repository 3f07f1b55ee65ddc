using System.Runtime.InteropServices;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// A fact that needs a full accept queue to drop new SYNs (Linux, macOS). Windows answers them with a reset
/// instead, so there a connect to a full listener is refused and cannot be made to time out.
/// </summary>
public sealed class FullBacklogDropsSynFactAttribute : FactAttribute
{
    public FullBacklogDropsSynFactAttribute()
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            Skip = "Windows refuses (RST) a connect to a listener whose backlog is full, so it never times out";
    }
}
