using System.Collections.Generic;

namespace Nsock.Core;

/// <summary>A response's status line and headers, reported the moment they are read, before any body byte (interim 1xx ones too).</summary>
public sealed record HttpHead(string Version, int Status, string Reason, IReadOnlyList<HttpHeader> Headers, bool IsInterim) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "head";
}
