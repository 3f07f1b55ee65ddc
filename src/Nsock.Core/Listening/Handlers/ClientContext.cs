namespace Nsock.Core;

/// <summary>The accepted client a handler serves: its number in this run, its address as shown, and where events go.</summary>
internal sealed record ClientContext(long Id, string Remote, IEventSink Sink);
