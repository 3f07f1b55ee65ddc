namespace Nsock.PowerShell;

/// <summary>Invoke-UdpPing's parameter values, as bound (null: not given), for <see cref="PingOptionsMapper"/>.</summary>
internal sealed class PingParameters
{
    public string? Endpoint { get; set; }

    public string? ComputerName { get; set; }

    public int? Port { get; set; }

    public bool Tcp { get; set; }

    public int? Count { get; set; }

    public double? Interval { get; set; }

    public int? Size { get; set; }

    public byte[]? Payload { get; set; }

    public int? Warmup { get; set; }

    public double? Timeout { get; set; }

    public bool IPv4 { get; set; }

    public bool IPv6 { get; set; }
}
