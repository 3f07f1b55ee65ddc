using System;

namespace Nsock.Core;

/// <summary>The one exception type the engine throws for expected failures; <see cref="Kind"/> says which.</summary>
public sealed class NsockException : Exception
{
    /// <summary>Creates an error of the given kind.</summary>
    public NsockException(NsockErrorKind kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
    }

    /// <summary>What went wrong.</summary>
    public NsockErrorKind Kind { get; }

    internal static NsockException BadInput(string message) => new(NsockErrorKind.BadInput, message);
}
