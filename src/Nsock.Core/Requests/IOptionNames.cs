namespace Nsock.Core;

/// <summary>
/// How a front end spells its options and verbs, so the engine's messages name what the user typed
/// (<c>--timeout</c> or <c>-Timeout</c>, <c>nsock send</c> or <c>Send-SocketData</c>).
/// </summary>
public interface IOptionNames
{
    /// <summary>The option as the user writes it, e.g. <c>--udp</c> or <c>-Udp</c>.</summary>
    string Option(NsockOption option);

    /// <summary>The verb as the user calls it, e.g. <c>nsock recv</c> or <c>Receive-SocketData</c>.</summary>
    string Verb(NsockVerb verb);
}
