namespace Nsock.Core;

/// <summary>
/// The digest that verifies each file of a transfer (<see cref="FileResult.Algorithm"/>), named as <c>xxhsum</c> and
/// Get-FileHash name them; printed lowercase (<see cref="NsockText"/>): <c>xxh128</c>, <c>sha256</c>.
/// </summary>
public enum FileHashAlgorithm
{
    /// <summary>XXH3-128 (<c>xxhsum -H2</c>): catches accidental corruption at memory speed; the default.</summary>
    XXH128,

    /// <summary>SHA-256 (<c>sha256sum</c>, Get-FileHash): for digests to compare or publish.</summary>
    SHA256,
}
