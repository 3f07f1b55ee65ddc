namespace Nsock.PowerShell;

/// <summary>Bytes the engine wrote to an output stream (what a peer sent), queued for the pipeline thread.</summary>
internal sealed record DataChunk(byte[] Data);
