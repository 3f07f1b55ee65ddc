namespace Nsock.Core;

/// <summary>A sink that drops every event.</summary>
internal sealed class NullEventSink : IEventSink
{
    /// <summary>The one instance.</summary>
    public static readonly NullEventSink Instance = new();

    /// <inheritdoc />
    public void Emit(NsockEvent e)
    {
    }
}
