using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>How the module spells what the engine's messages name: <c>-MaxBytes</c>, <c>-IPv4</c>, <c>Receive-SocketData</c>.</summary>
internal sealed class ParameterNames : IOptionNames
{
    public static readonly ParameterNames Instance = new();

    private ParameterNames()
    {
    }

    /// <summary>The parameter: its own name (-Udp, -Timeout, -Overwrite...) unless the cmdlets call it otherwise.</summary>
    public string Option(NsockOption option) => option switch
    {
        NsockOption.Host => "-ComputerName",
        NsockOption.ByteLimit or NsockOption.FilesByteLimit => "-MaxBytes",
        NsockOption.Insecure => "-SkipCertificateCheck",
        NsockOption.ClientCount => "-Count",
        NsockOption.Ports => "-Port",
        NsockOption.BodyFile => "-InFile",
        NsockOption.FollowRedirects => "-MaximumRedirection",
        NsockOption.Paths => "-Path",
        NsockOption.Input => "-InputObject",
        NsockOption.Hash => "-Hash",
        NsockOption.MaxTime => "-MaximumTime",
        NsockOption.Source => "-SourceAddress",
        NsockOption.HexDump => "-HexDumpPath",
        NsockOption.Output => "-OutputPath",
        NsockOption.ClientIdleTimeout => "-IdleTimeout",
        NsockOption.States => "-State",
        NsockOption.SocketPorts => "-Port",
        NsockOption.ProcessId => "-OwningProcess",
        NsockOption.Unix => "-Protocol Unix",
        NsockOption.WatchInterval => "-Interval",
        NsockOption.Tls => "-UseTls",
        NsockOption.CaFile => "-CertificateAuthorityPath",
        NsockOption.Sni => "-ServerName",
        NsockOption.Proxy => "-Proxy",
        NsockOption.ProxyCredential => "-ProxyCredential",
        NsockOption.TlsCertificate => "-CertificatePath",
        NsockOption.TlsKey => "-KeyPath",
        NsockOption.TlsCertificatePassword => "-CertificatePassword",
        NsockOption.TlsSelfSigned => "-SelfSignedCertificate",
        NsockOption.TlsClientCa => "-ClientCertificateAuthorityPath",
        NsockOption.TlsHandshakeTimeout => "-HandshakeTimeout",
        NsockOption.ShExec => "-ShellExec",
        NsockOption.TargetCertificate => "-ForwardCertificatePath",
        NsockOption.TargetKey => "-ForwardKeyPath",
        NsockOption.TargetCertificatePassword => "-ForwardCertificatePassword",
        _ => "-" + option,
    };

    public string Verb(NsockVerb verb) => verb switch
    {
        NsockVerb.Connect or NsockVerb.Send => "Send-SocketData",
        NsockVerb.Listen => "New-SocketListener",
        NsockVerb.Receive => "Receive-SocketData",
        NsockVerb.Ping => "Invoke-UdpPing",
        NsockVerb.Probe => "Test-SocketPort",
        NsockVerb.Http => "Get-HttpRaw",
        NsockVerb.Connections => "Get-SocketConnection",
        _ => "Send-File",
    };
}
