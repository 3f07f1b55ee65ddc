namespace Nsock.Core;

/// <summary>A file chosen for sending: where it is here, and the relative path it gets on the receiver.</summary>
public sealed record FileToSend(string FullPath, string RelativePath, long Size);
