namespace Nsock.Core;

/// <summary>Who holds a <see cref="TlsStateLock"/>.</summary>
internal enum TlsTurn
{
    None,
    Reading,
    ClosingWrite,
}
