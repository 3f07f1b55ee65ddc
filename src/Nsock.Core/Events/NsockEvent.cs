namespace Nsock.Core;

/// <summary>Something that happened, reported while an operation runs. Every event is an immutable record.</summary>
public abstract record NsockEvent
{
    /// <summary>The event's name in machine-readable output, e.g. <c>ready</c>, <c>connected</c>.</summary>
    public abstract string Event { get; }
}
