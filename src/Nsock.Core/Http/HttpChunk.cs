namespace Nsock.Core;

/// <summary>One chunk of a chunked body: its size, where its size line starts in the response bytes, where its data starts in the decoded body, and its extensions.</summary>
public sealed record HttpChunk(long Size, long RawOffset, long BodyOffset, string? Extensions);
