namespace Nsock.Core;

/// <summary>What a listener does with each client.</summary>
public enum ListenerMode
{
    /// <summary>Relay clients to the input and output streams (nc -l). With keep-open, input goes to every client.</summary>
    Relay,

    /// <summary>Send every byte back to its sender; TCP clients are served concurrently, UDP datagrams answered to their sender.</summary>
    Echo,
}
