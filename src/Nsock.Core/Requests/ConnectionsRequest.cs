using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Nsock.Core;

/// <summary>
/// Which sockets of this machine to list or watch (<c>nsock conns</c>, <c>Get-SocketConnection</c>). With no protocol
/// given, TCP and UDP (Unix sockets only when asked: a desktop holds hundreds, which would bury the network ones).
/// <see cref="Validate"/> checks everything without reading a table.
/// </summary>
public sealed record ConnectionsRequest
{
    /// <summary>Seconds between the looks of a watch unless given.</summary>
    public const double DefaultIntervalSeconds = 1;

    /// <summary>Only listening sockets: TCP and Unix listeners, and UDP sockets with no peer (as <c>ss -l</c>).</summary>
    public bool Listening { get; init; }

    /// <summary>Only these states, in the user's words: a <see cref="ConnectionState"/> name or ss's (established, estab, time-wait, syn-recv, unconn...), any case.</summary>
    public IReadOnlyList<string> States { get; init; } = Array.Empty<string>();

    /// <summary>Only sockets whose local or remote port is one of these.</summary>
    public IReadOnlyList<int> Ports { get; init; } = Array.Empty<int>();

    /// <summary>Only the sockets of these processes.</summary>
    public IReadOnlyList<int> ProcessIds { get; init; } = Array.Empty<int>();

    /// <summary>TCP sockets.</summary>
    public bool Tcp { get; init; }

    /// <summary>UDP sockets.</summary>
    public bool Udp { get; init; }

    /// <summary>Unix domain sockets.</summary>
    public bool Unix { get; init; }

    /// <summary>IPv4 only.</summary>
    public bool IPv4 { get; init; }

    /// <summary>IPv6 only (IPv4-mapped addresses of dual-stack sockets included).</summary>
    public bool IPv6 { get; init; }

    /// <summary>Seconds between the looks of a watch, as given (null: <see cref="DefaultIntervalSeconds"/>).</summary>
    public double? Interval { get; init; }

    /// <summary>Checks every value (named as <paramref name="names"/> spells them).</summary>
    public ConnectionsPlan Validate(IOptionNames names)
    {
        IpVersion family = new ConnectTarget { IPv4 = IPv4, IPv6 = IPv6 }.Family(names);
        bool any = Tcp || Udp || Unix;
        bool tcp = Tcp || !any, udp = Udp || !any;
        if (Unix && family != IpVersion.Any)
            throw NsockException.BadInput($"{names.Option(NsockOption.Unix)} sockets have no IP version: leave out {names.Option(family == IpVersion.V4 ? NsockOption.IPv4 : NsockOption.IPv6)}");
        if (Unix && !tcp && !udp && Ports.Count > 0)
            throw NsockException.BadInput($"{names.Option(NsockOption.Unix)} sockets have no ports: leave out {names.Option(NsockOption.SocketPorts)}");
        if (Listening && States.Count > 0)
            throw NsockException.BadInput($"give {names.Option(NsockOption.Listening)} or {names.Option(NsockOption.States)}, not both ({names.Option(NsockOption.Listening)} is {names.Option(NsockOption.States)} listen, with UDP sockets that have no peer)");
        foreach (int port in Ports)
        {
            if (port < 1 || port > 65535) throw NsockException.BadInput($"{names.Option(NsockOption.SocketPorts)} {port.ToString(CultureInfo.InvariantCulture)} is out of range (1-65535)");
        }
        foreach (int pid in ProcessIds)
        {
            if (pid < 1) throw NsockException.BadInput($"{names.Option(NsockOption.ProcessId)} {pid.ToString(CultureInfo.InvariantCulture)} is not a process id (1 or more)");
        }
        double seconds = Seconds.Check(Interval, names.Option(NsockOption.WatchInterval)) ?? DefaultIntervalSeconds;
        if (seconds <= 0) throw NsockException.BadInput($"{names.Option(NsockOption.WatchInterval)} must be more than 0 seconds");
        var filter = new ConnectionFilter
        {
            Tcp = tcp,
            Udp = udp,
            Unix = Unix,
            Family = family,
            Listening = Listening,
            States = States.Count == 0 ? null : ParseStates(States, names),
            Ports = Ports.Count == 0 ? null : new HashSet<int>(Ports),
            ProcessIds = ProcessIds.Count == 0 ? null : new HashSet<int>(ProcessIds),
        };
        return new ConnectionsPlan(filter, TimeSpan.FromSeconds(seconds), names);
    }

    // ss's words (estab, syn-recv, unconn), netstat's (SYN_RECV, TIME_WAIT) and the enum's, any case, - and _ ignored.
    private static readonly Dictionary<string, ConnectionState> s_words = new(StringComparer.Ordinal)
    {
        ["estab"] = ConnectionState.Established,
        ["synrecv"] = ConnectionState.SynReceived,
        ["synrcvd"] = ConnectionState.SynReceived,
        ["listening"] = ConnectionState.Listen,
        ["close"] = ConnectionState.Closed,
        ["unconn"] = ConnectionState.Unconnected,
        ["bound"] = ConnectionState.Unconnected,
        ["conn"] = ConnectionState.Connected,
    };

    // Loops rather than LINQ: each LINQ call over an element type of its own (ConnectionState, char) adds its generic
    // code to the native binary (issue #13).
    private static HashSet<ConnectionState> ParseStates(IReadOnlyList<string> words, IOptionNames names)
    {
        var states = new HashSet<ConnectionState>();
        foreach (string word in words) states.Add(ParseState(word, names));
        return states;
    }

    private static ConnectionState ParseState(string? word, IOptionNames names)
    {
        var kept = new StringBuilder();
        foreach (char c in word ?? "")
        {
            if (c != '-' && c != '_' && !char.IsWhiteSpace(c)) kept.Append(c);
        }
        string key = kept.ToString().ToLowerInvariant();
        for (ConnectionState s = ConnectionState.Listen; s <= ConnectionState.Connected; s++)
        {
            if (s.ToString().ToLowerInvariant() == key) return s;
        }
        if (s_words.TryGetValue(key, out ConnectionState state)) return state;
        throw NsockException.BadInput($"{names.Option(NsockOption.States)} '{NsockText.Printable(word)}' is not a socket state (listen, established, syn-sent, syn-recv, fin-wait-1, fin-wait-2, time-wait, close-wait, last-ack, closing, closed, unconnected, connected)");
    }
}
