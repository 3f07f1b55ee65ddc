namespace Nsock.Core;

/// <summary>Where the engine reports events. Implementations must accept calls from several threads at once.</summary>
public interface IEventSink
{
    /// <summary>Reports one event. Must not block for long: it runs on the data path's threads.</summary>
    void Emit(NsockEvent e);
}
