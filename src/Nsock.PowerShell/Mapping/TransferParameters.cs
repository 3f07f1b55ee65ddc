namespace Nsock.PowerShell;

/// <summary>
/// The connection parameters Send-SocketData and Receive-SocketData share, and Receive-SocketData's stop
/// conditions, as bound (null: not given), for <see cref="TransferOptionsMapper"/>.
/// </summary>
internal sealed class TransferParameters
{
    public string? Endpoint { get; set; }

    public string? ComputerName { get; set; }

    public int? Port { get; set; }

    public bool Udp { get; set; }

    public double? Timeout { get; set; }

    public bool IPv4 { get; set; }

    public bool IPv6 { get; set; }

    /// <summary>Receive-SocketData -MaxBytes.</summary>
    public long? MaxBytes { get; set; }

    /// <summary>Receive-SocketData -Until (already encoded) or -UntilBytes.</summary>
    public byte[]? Until { get; set; }
}
