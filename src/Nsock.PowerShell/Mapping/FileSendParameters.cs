namespace Nsock.PowerShell;

/// <summary>Send-File's parameter values, as bound (null: not given), for <see cref="FileSendMapper"/>.</summary>
internal sealed class FileSendParameters
{
    public string? Endpoint { get; set; }

    public string? ComputerName { get; set; }

    public int? Port { get; set; }

    public bool Resume { get; set; }

    public bool Raw { get; set; }

    public double? Timeout { get; set; }

    public bool IPv4 { get; set; }

    public bool IPv6 { get; set; }
}
