using Xunit;

namespace Nsock.Core.Tests;

/// <summary>A fact that is skipped, saying why, when the machine has no IPv6 loopback.</summary>
public sealed class Ipv6FactAttribute : FactAttribute
{
    public Ipv6FactAttribute()
    {
        if (Loopback.Ipv6Problem is string why) Skip = why;
    }
}
