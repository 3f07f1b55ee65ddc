namespace Nsock.Core;

/// <summary>One port of one target. <see cref="LatencyMs"/> is the time to the answer (null when none came); <see cref="Tls"/>:
/// what a TLS look at an open port found (probe --tls), else null.</summary>
public sealed record PortProbeResult(string Target, string? Address, int Port, Transport Protocol, PortState State, double? LatencyMs, string? Detail, TlsCheck? Tls = null) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "port";

    /// <summary>The state as nmap writes it: open, closed, filtered, open|filtered, unresolved.</summary>
    public string StateText => State switch
    {
        PortState.Open => "open",
        PortState.Closed => "closed",
        PortState.Filtered => "filtered",
        PortState.OpenFiltered => "open|filtered",
        PortState.Unresolved => "unresolved",
        _ => State.ToString().ToLowerInvariant(),
    };
}
