namespace Nsock.Core;

/// <summary>
/// Milliseconds from the start of the exchange, on the monotonic clock, to the end of each phase: name resolved,
/// connected, TLS handshake done (null without TLS), request sent, first response byte, response complete.
/// </summary>
public sealed record HttpTimings(double ResolvedMs, double ConnectedMs, double? TlsDoneMs, double RequestSentMs, double? FirstByteMs, double CompleteMs);
