using System.Collections.Generic;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>How the module spells what the engine's messages name: <c>-MaxBytes</c>, <c>-IPv4</c>, <c>Receive-SocketData</c>.</summary>
internal sealed class ParameterNames : IOptionNames
{
    public static readonly ParameterNames Instance = new();

    private static readonly Dictionary<NsockOption, string> s_options = new()
    {
        [NsockOption.Host] = "-ComputerName",
        [NsockOption.ByteLimit] = "-MaxBytes",
        [NsockOption.FilesByteLimit] = "-MaxBytes",
        [NsockOption.Insecure] = "-SkipCertificateCheck",
        [NsockOption.ReceiveOnly] = "-ReceiveOnly",
        [NsockOption.WaitAfterInputEnds] = "-WaitAfterInputEnds",
        [NsockOption.ClientCount] = "-Count",
        [NsockOption.Ports] = "-Port",
        [NsockOption.BodyFile] = "-InFile",
        [NsockOption.FollowRedirects] = "-MaximumRedirection",
        [NsockOption.Paths] = "-Path",
        [NsockOption.Input] = "-InputObject",
    };

    private ParameterNames()
    {
    }

    /// <summary>The parameter: its own name unless the table says otherwise (-Udp, -Timeout, -Overwrite...).</summary>
    public string Option(NsockOption option) => s_options.TryGetValue(option, out string? name) ? name : "-" + option;

    public string Verb(NsockVerb verb) => verb switch
    {
        NsockVerb.Connect or NsockVerb.Send => "Send-SocketData",
        NsockVerb.Listen => "New-SocketListener",
        NsockVerb.Receive => "Receive-SocketData",
        NsockVerb.Ping => "Invoke-UdpPing",
        NsockVerb.Probe => "Test-SocketPort",
        NsockVerb.Http => "Get-HttpRaw",
        _ => "Send-File",
    };
}
