using System.Collections.Generic;

namespace Nsock.Core;

/// <summary>
/// Hosts and the ports to probe on each of them: one row of a target list (PowerShell's
/// <c>Import-Csv targets.csv | Test-SocketPort</c>), where each row names its own host and port.
/// </summary>
/// <param name="Targets">Names, addresses or CIDR blocks, in the order results are reported.</param>
/// <param name="Ports">Ports, in order (see <see cref="PortList.Parse"/>).</param>
public sealed record PortProbeGroup(IReadOnlyList<string> Targets, IReadOnlyList<int> Ports);
