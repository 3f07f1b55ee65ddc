using System.Collections.Generic;

namespace Nsock.Core;

/// <summary>What a name lookup returns, as gethostbyname_ex does: the canonical name, its aliases and every address.</summary>
public sealed record HostInfo(string Query, string CanonicalName, IReadOnlyList<string> Aliases, IReadOnlyList<string> Addresses) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "resolved";
}
