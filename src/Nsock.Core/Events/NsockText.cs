namespace Nsock.Core;

/// <summary>
/// The words nsock prints for its states, the same in the command's text and <c>--json</c> and in the module's views
/// and messages: <c>sent</c>, <c>content-length</c>, <c>tcp</c>. One place, so the faces cannot drift; each is a
/// constant string (printing one allocates nothing).
/// </summary>
public static class NsockText
{
    /// <summary>sent, received, skipped, refused or failed.</summary>
    public static string ToText(this FileStatus status) => status switch
    {
        FileStatus.Sent => "sent",
        FileStatus.Received => "received",
        FileStatus.Skipped => "skipped",
        FileStatus.Refused => "refused",
        FileStatus.Failed => "failed",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>none, chunked, content-length or close.</summary>
    public static string ToText(this HttpFraming framing) => framing switch
    {
        HttpFraming.None => "none",
        HttpFraming.Chunked => "chunked",
        HttpFraming.ContentLength => "content-length",
        HttpFraming.Close => "close",
        _ => framing.ToString().ToLowerInvariant(),
    };

    /// <summary>tcp, udp or unix.</summary>
    public static string ToText(this Transport transport) => transport switch
    {
        Transport.Tcp => "tcp",
        Transport.Udp => "udp",
        Transport.Unix => "unix",
        _ => transport.ToString().ToLowerInvariant(),
    };

    /// <summary>xxh128 or sha256.</summary>
    public static string ToText(this FileHashAlgorithm algorithm) => algorithm switch
    {
        FileHashAlgorithm.XXH128 => "xxh128",
        FileHashAlgorithm.SHA256 => "sha256",
        _ => algorithm.ToString().ToLowerInvariant(),
    };
}
