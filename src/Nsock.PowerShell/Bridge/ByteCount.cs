namespace Nsock.PowerShell;

/// <summary>How many bytes an output stream has taken so far: the pipeline thread turns it into progress.</summary>
internal sealed record ByteCount(long Bytes);
