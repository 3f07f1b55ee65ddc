namespace Nsock.PowerShell;

/// <summary>New-SocketListener's parameter values, as bound (null: not given), for <see cref="ListenerOptionsMapper"/>.</summary>
internal sealed class ListenerParameters
{
    public string? Endpoint { get; set; }

    public string? LocalAddress { get; set; }

    public int? Port { get; set; }

    public bool Udp { get; set; }

    public bool Echo { get; set; }

    /// <summary>Full path of the folder for -ReceiveFiles.</summary>
    public string? ReceiveFiles { get; set; }

    /// <summary>Full path of the folder for -ServeFiles.</summary>
    public string? ServeFiles { get; set; }

    public bool Overwrite { get; set; }

    public bool Fsync { get; set; }

    public long? MaxBytes { get; set; }

    public bool KeepOpen { get; set; }

    public long? Count { get; set; }

    public int? MaxClients { get; set; }

    public string[]? Allow { get; set; }

    public string[]? Deny { get; set; }

    /// <summary>True when -InputObject brought data to send to clients (relay mode).</summary>
    public bool HasInput { get; set; }

    public bool SendOnly { get; set; }

    public bool NoShutdown { get; set; }

    public double? IdleTimeout { get; set; }

    public bool IPv4 { get; set; }

    public bool IPv6 { get; set; }

    /// <summary>True with -Background: serve as a job and return at once.</summary>
    public bool Background { get; set; }

    /// <summary>-Name: only a background listener has one.</summary>
    public string? Name { get; set; }
}
