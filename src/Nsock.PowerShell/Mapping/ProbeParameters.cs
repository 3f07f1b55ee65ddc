using System.Collections.Generic;

namespace Nsock.PowerShell;

/// <summary>Test-SocketPort's parameter values, as bound (null: not given), for <see cref="ProbeOptionsMapper"/>.</summary>
internal sealed class ProbeParameters
{
    /// <summary>-ComputerName and -Port given once (not per pipeline record).</summary>
    public IReadOnlyList<string> ComputerName { get; set; } = new string[0];

    public IReadOnlyList<int> Port { get; set; } = new int[0];

    /// <summary>One row per pipeline record (-ComputerName/-Port bound by property name, or ports by value); replaces ComputerName/Port when given.</summary>
    public IReadOnlyList<ProbeRow> Rows { get; set; } = new ProbeRow[0];

    /// <summary>-Endpoint values (host:port, the command's endpoint syntax), in order; replaces the rows when given.</summary>
    public IReadOnlyList<string> Endpoint { get; set; } = new string[0];

    public bool Udp { get; set; }

    public double? Timeout { get; set; }

    public int? Parallel { get; set; }

    public bool Wait { get; set; }

    public bool IPv4 { get; set; }

    public bool IPv6 { get; set; }
}

/// <summary>The hosts and ports one pipeline record names.</summary>
internal sealed record ProbeRow(IReadOnlyList<string> ComputerName, IReadOnlyList<int> Port);
