namespace Nsock.Core;

/// <summary>What a listener does with each client.</summary>
public enum ListenerMode
{
    /// <summary>Relay clients to the input and output streams (nc -l). With keep-open, input goes to every client.</summary>
    Relay,

    /// <summary>Send every byte back to its sender; TCP clients are served concurrently, UDP datagrams answered to their sender.</summary>
    Echo,

    /// <summary>Receive files sent with the nsock file protocol into <see cref="ListenerOptions.FileDirectory"/>.</summary>
    ReceiveFiles,

    /// <summary>Serve files of <see cref="ListenerOptions.FileDirectory"/>: a client sends a name and a newline and gets the bytes.</summary>
    ServeFiles,

    /// <summary>A broker (ncat --broker): what a client sends goes to every other client and the output; the input goes to every client.</summary>
    Broker,

    /// <summary>A chat room (ncat --chat): clients are named, their lines relayed to the others as <c>&lt;name&gt; text</c>, joins and leaves announced.</summary>
    Chat,

    /// <summary>Forward each client to <see cref="ListenerOptions.ForwardTo"/>, a connection of its own, bytes both ways with half-close (socat TCP-LISTEN,fork TCP:target).</summary>
    Forward,

    /// <summary>Run <see cref="ListenerOptions.Exec"/> for each client, its stdin and stdout relayed to the client (ncat -e, -c).</summary>
    Exec,
}
