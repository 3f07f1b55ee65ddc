namespace Nsock.Core;

/// <summary>One header line as it appeared on the wire (order and duplicates are kept by the lists that hold them).</summary>
public sealed record HttpHeader(string Name, string Value);
