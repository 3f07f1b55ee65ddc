using System.Collections.Generic;

namespace Nsock.PowerShell;

/// <summary>Test-SocketPort's parameter values, as bound (null: not given), for <see cref="ProbeOptionsMapper"/>.</summary>
internal sealed class ProbeParameters
{
    public IReadOnlyList<string> ComputerName { get; set; } = new string[0];

    public IReadOnlyList<int> Port { get; set; } = new int[0];

    public bool Udp { get; set; }

    public double? Timeout { get; set; }

    public int? Parallel { get; set; }

    public bool IPv4 { get; set; }

    public bool IPv6 { get; set; }
}
