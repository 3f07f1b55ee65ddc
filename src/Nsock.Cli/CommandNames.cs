using System.Collections.Generic;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary>How the command spells what the engine's messages name: <c>--bytes</c>, <c>-4</c>, <c>nsock recv</c>.</summary>
internal sealed class CommandNames : IOptionNames
{
    public static readonly CommandNames Instance = new();

    private static readonly Dictionary<NsockOption, string> s_options = new()
    {
        [NsockOption.Endpoint] = "ENDPOINT",
        [NsockOption.Host] = "the host",
        [NsockOption.Port] = "the port",
        [NsockOption.Udp] = "--udp",
        [NsockOption.Tcp] = "--tcp",
        [NsockOption.Timeout] = "--timeout",
        [NsockOption.IPv4] = "-4",
        [NsockOption.IPv6] = "-6",
        [NsockOption.Reply] = "--reply",
        [NsockOption.ByteLimit] = "--bytes",
        [NsockOption.Until] = "--until",
        [NsockOption.Count] = "--count",
        [NsockOption.Interval] = "--interval",
        [NsockOption.Size] = "--size",
        [NsockOption.Payload] = "--payload",
        [NsockOption.Warmup] = "--warmup",
        [NsockOption.Overwrite] = "--overwrite",
        [NsockOption.FilesByteLimit] = "--max-bytes",
        [NsockOption.Resume] = "--resume",
        [NsockOption.Insecure] = "--insecure",
        [NsockOption.SendOnly] = "--send-only",
        [NsockOption.ReceiveOnly] = "--recv-only",
        [NsockOption.NoShutdown] = "--no-shutdown",
        [NsockOption.WaitAfterInputEnds] = "--wait-after-eof",
        [NsockOption.KeepOpen] = "--keep-open",
        [NsockOption.Echo] = "--echo",
        [NsockOption.MaxClients] = "--max-clients",
        [NsockOption.ClientCount] = "--count",
        [NsockOption.Allow] = "--allow",
        [NsockOption.Deny] = "--deny",
        [NsockOption.ReceiveFiles] = "--receive-files",
        [NsockOption.ServeFiles] = "--serve",
        [NsockOption.Fsync] = "--fsync",
        [NsockOption.IdleTimeout] = "--timeout",
        [NsockOption.Ports] = "--ports",
        [NsockOption.Parallel] = "--parallel",
        [NsockOption.Wait] = "--wait",
        [NsockOption.Method] = "--method",
        [NsockOption.Headers] = "--header",
        [NsockOption.Body] = "--body",
        [NsockOption.BodyFile] = "--body @FILE",
        [NsockOption.Http10] = "--http1.0",
        [NsockOption.KeepAlive] = "--keep-alive",
        [NsockOption.RawRequest] = "--raw-request",
        [NsockOption.FixLineEndings] = "--crlf",
        [NsockOption.ServerName] = "--sni",
        [NsockOption.FollowRedirects] = "--follow",
        [NsockOption.OutFile] = "--out",
        [NsockOption.Paths] = "PATHS",
        [NsockOption.Exclude] = "--exclude",
        [NsockOption.Raw] = "--raw",
        [NsockOption.Input] = "stdin",
        [NsockOption.Hash] = "--hash",
        [NsockOption.MaxTime] = "--max-time",
        [NsockOption.Source] = "--source",
        [NsockOption.SourceAddress] = "--source",
        [NsockOption.SourcePort] = "--source",
        [NsockOption.Crlf] = "--crlf",
        [NsockOption.Delay] = "--delay",
        [NsockOption.HexDump] = "--hex-dump",
        [NsockOption.Output] = "--output",
        [NsockOption.ClientIdleTimeout] = "--idle-timeout",
        [NsockOption.Broker] = "--broker",
        [NsockOption.Chat] = "--chat",
        [NsockOption.ForwardTo] = "TARGET",
        [NsockOption.Exec] = "--exec",
        [NsockOption.ShExec] = "--sh-exec",
        [NsockOption.Listening] = "--listening",
        [NsockOption.States] = "--state",
        [NsockOption.SocketPorts] = "--port",
        [NsockOption.ProcessId] = "--pid",
        [NsockOption.Unix] = "--unix",
        [NsockOption.WatchInterval] = "--watch",
        [NsockOption.StatisticsInterval] = "--stats",
        [NsockOption.CaFile] = "--ca",
        [NsockOption.Tls] = "--tls",
        [NsockOption.Sni] = "--sni",
        [NsockOption.Proxy] = "--proxy",
        [NsockOption.ProxyCredential] = "user:password@ in --proxy",
        [NsockOption.TlsCertificate] = "--cert",
        [NsockOption.TlsKey] = "--key",
        [NsockOption.TlsCertificatePassword] = "--cert-password",
        [NsockOption.TlsSelfSigned] = "--tls-self-signed",
        [NsockOption.TlsClientCa] = "--client-ca",
        [NsockOption.TlsHandshakeTimeout] = "--handshake-timeout",
        [NsockOption.Pin] = "--pin",
        [NsockOption.Alpn] = "--alpn",
        [NsockOption.ExpiresWithin] = "--expires-within",
        [NsockOption.TargetCertificate] = "--target-cert",
        [NsockOption.TargetKey] = "--target-key",
        [NsockOption.TargetCertificatePassword] = "--target-cert-password",
    };

    private CommandNames()
    {
    }

    public string Option(NsockOption option) => s_options.TryGetValue(option, out string? name) ? name : PlainOptionNames.Instance.Option(option);

    public string Verb(NsockVerb verb) => verb switch
    {
        NsockVerb.Receive => "nsock recv",
        NsockVerb.SendFiles => "nsock send-file",
        NsockVerb.Connections => "nsock conns",
        _ => "nsock " + PlainOptionNames.Instance.Verb(verb),
    };
}
