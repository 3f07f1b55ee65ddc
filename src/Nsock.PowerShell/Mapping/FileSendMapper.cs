using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>Send-File's parameters to engine options, as <c>nsock send-file</c> builds them.</summary>
internal static class FileSendMapper
{
    /// <summary>A stream endpoint (files never go over UDP).</summary>
    public static Endpoint Endpoint(FileSendParameters p)
    {
        Endpoint ep = EndpointMapper.ParseTarget(p.Endpoint, p.ComputerName, p.Port, Transport.Tcp, null);
        if (ep.Transport == Transport.Udp) throw BadInput.Error("files go over a stream (tcp or unix), not UDP");
        Connector.ValidateForConnect(ep);
        return ep;
    }

    /// <summary>Connect within -Timeout (10 s); the receiver may take -Timeout to answer, the engine's 60 s unless given.</summary>
    public static FileSendOptions Options(FileSendParameters p) => new()
    {
        Connect = Timeouts.Connect(p.Timeout, IpVersions.From(p.IPv4, p.IPv6)),
        Resume = p.Resume,
        Timeout = Timeouts.Explicit(p.Timeout) ?? new FileSendOptions().Timeout,
    };

    /// <summary>-Raw: the bytes of exactly one file, as <c>nsock send</c> sends them.</summary>
    public static SendOptions Raw(FileSendParameters p, IReadOnlyList<FileToSend> files)
    {
        if (files.Count != 1) throw BadInput.Error($"-Raw sends exactly one file; these name {files.Count}");
        if (p.Resume) throw BadInput.Error("-Raw has no resume: the far side is a plain byte sink");
        return new SendOptions
        {
            Connect = Timeouts.Connect(p.Timeout, IpVersions.From(p.IPv4, p.IPv6)),
            ReplyTimeout = Timeouts.OrInfinite(Timeouts.OrDefault(p.Timeout)),
        };
    }
}
