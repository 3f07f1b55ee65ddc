using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Nsock.Core;
using Xunit;

namespace Nsock.PowerShell.Tests;

/// <summary>
/// Every setting of the engine options behind a cmdlet is reachable from the cmdlet, or the table says why not
/// (usually: the nsock command does not expose it either). A new engine option fails this test until the
/// cmdlet takes it or the table explains its absence.
/// </summary>
public sealed class EngineParameterCoverageTests
{
    private sealed record Row(string Cmdlet, Type Options, IReadOnlyDictionary<string, string[]> Mapped, IReadOnlyDictionary<string, string> NotExposed);

    private static Dictionary<string, string[]> Map(params (string Option, string[] Parameters)[] rows) => rows.ToDictionary(r => r.Option, r => r.Parameters);

    private static readonly (string, string) OutsideEventLoop =
        ("OutsideEventLoop", "internal: the engine sets it where only blocking loops serve the socket (a relay's, a forward target's); nothing for a user to choose");

    private static Dictionary<string, string> Why(params (string Option, string Reason)[] rows) => rows.ToDictionary(r => r.Option, r => r.Reason);

    private static readonly Row[] s_rows =
    {
        new("New-SocketListener", typeof(ListenerOptions),
            Map(("Endpoint", new[] { "Port", "LocalAddress", "Endpoint", "Udp" }), ("IpVersion", new[] { "IPv4", "IPv6" }),
                ("Mode", new[] { "Echo", "ReceiveFiles", "ServeFiles", "Broker", "Chat", "ForwardTo", "Exec", "ShellExec" }), ("KeepOpen", new[] { "KeepOpen" }), ("MaxClients", new[] { "MaxClients" }),
                ("Count", new[] { "Count" }), ("Filter", new[] { "Allow", "Deny" }), ("Relay", new[] { "InputObject", "SendOnly", "NoShutdown" }),
                ("FileDirectory", new[] { "ReceiveFiles", "ServeFiles" }), ("Overwrite", new[] { "Overwrite" }), ("MaxBytes", new[] { "MaxBytes" }), ("SyncFiles", new[] { "Fsync" }),
                ("ClientIdleTimeout", new[] { "IdleTimeout" }), ("HexDumpPath", new[] { "HexDumpPath" }), ("OutputPath", new[] { "OutputPath" }),
                ("ForwardTo", new[] { "ForwardTo" }), ("ForwardConnect", new[] { "IPv4", "IPv6" }),
                ("Tls", new[] { "UseTls", "CertificatePath", "KeyPath", "CertificatePassword", "Certificate", "SelfSignedCertificate", "ClientCertificateAuthorityPath", "HandshakeTimeout" }),
                ("Exec", new[] { "Exec", "ShellExec" }),
                ("ForwardTls", new[] { "SkipCertificateCheck", "CertificateAuthorityPath", "ServerName", "Pin", "Alpn", "ForwardCertificate", "ForwardCertificatePath", "ForwardKeyPath", "ForwardCertificatePassword" })),
            Why(("FileHeaderTimeout", "internal: tests make the phase limits short; users set them all with -IdleTimeout, as nsock listen --timeout or --idle-timeout"),
                ("FileMinRate", "internal: the 500 bytes a second minimum rate of a file's bytes; tests raise it"),
                ("FileRateWindow", "internal: the rate window follows -IdleTimeout, as nsock listen --timeout or --idle-timeout; tests make it short"),
                ("ReportDatagrams", "always on: every datagram is an output object (the command turns it on with -v or --json)"),
                ("Names", "how the module spells its parameters in messages: set by the module, not the user"),
                ("StatisticsInterval", "a background listener's counters are live on its object (Get-SocketListener, GetStatistics()): no report every N seconds is needed, as nsock listen --stats prints"))),
        new("New-SocketListener", typeof(RelayOptions),
            Map(("Direction", new[] { "InputObject", "SendOnly" }), ("ShutdownOnInputEnd", new[] { "NoShutdown" }), ("InactivityTimeout", new[] { "IdleTimeout" })),
            Why(("IdleTimeout", "nsock listen sets it from an explicit --timeout (silence once the input ended); -IdleTimeout, the client idle timeout, covers that case and more"),
                ("Crlf", "connect and send take --crlf; nsock listen has none either"),
                ("LineDelay", "connect and send take --delay; nsock listen has none either"),
                ("HexDumpPath", "a listener records all its clients in one file: ListenerOptions.HexDumpPath (-HexDumpPath)"),
                ("OutputPath", "a listener records all its clients in one file: ListenerOptions.OutputPath (-OutputPath)"),
                ("Recorder", "the listener's one record of the run, opened from -HexDumpPath/-OutputPath: set by the engine"),
                ("ClientId", "the number of the client a relay serves, for its record: set by the listener"),
                ("StopWhenPeerCloses", "the command sets it only when stdin is a terminal; pipeline input never is"),
                ("WaitAfterInputEnds", "nsock listen has no --wait-after-eof"),
                ("PeerClosedGrace", "a listener keeps serving a client that half-closed (its input may still be coming), as nsock listen does; connect and send end 0.5 s after the peer closes"),
                ("BufferSize", "not exposed by the command; the engine's 1 MB is used"),
                ("ReleaseBufferWhenIdle", "internal: a forward's relays take their buffer only while bytes wait; set by the engine"),
                ("Splice", "internal: a forward splices only when neither end is on this host; set by the engine"))),
        new("Send-SocketData", typeof(SendOptions),
            Map(("Connect", new[] { "Timeout", "IPv4", "IPv6", "SourceAddress", "SourcePort", "Proxy", "ProxyCredential" }), ("ReplyTimeout", new[] { "Timeout" }), ("Crlf", new[] { "Crlf" }),
                ("LineDelay", new[] { "Delay" }), ("HexDumpPath", new[] { "HexDumpPath" }), ("OutputPath", new[] { "OutputPath" }),
                ("Tls", new[] { "UseTls", "SkipCertificateCheck", "CertificateAuthorityPath", "ServerName", "Pin", "Alpn", "Certificate", "CertificatePath", "KeyPath", "CertificatePassword" })),
            Why()),
        new("Send-SocketData", typeof(ConnectOptions),
            Map(("IpVersion", new[] { "IPv4", "IPv6" }), ("Timeout", new[] { "Timeout" }), ("SourceAddress", new[] { "SourceAddress" }), ("SourcePort", new[] { "SourcePort" }),
                ("Proxy", new[] { "Proxy", "ProxyCredential" })), Why(OutsideEventLoop)),
        new("Receive-SocketData", typeof(ReceiveOptions), Map(("MaxBytes", new[] { "MaxBytes" }), ("Until", new[] { "Until", "UntilBytes" }), ("IdleTimeout", new[] { "Timeout" })), Why()),
        new("Receive-SocketData", typeof(ConnectOptions),
            Map(("IpVersion", new[] { "IPv4", "IPv6" }), ("Timeout", new[] { "Timeout" }), ("SourceAddress", new[] { "SourceAddress" }), ("SourcePort", new[] { "SourcePort" }),
                ("Proxy", new[] { "Proxy", "ProxyCredential" })), Why(OutsideEventLoop)),
        new("Invoke-UdpPing", typeof(PingOptions),
            Map(("Endpoint", new[] { "ComputerName", "Port", "Endpoint", "Tcp" }), ("Count", new[] { "Count" }), ("Interval", new[] { "Interval" }),
                ("Size", new[] { "Size" }), ("Timeout", new[] { "Timeout" }), ("Payload", new[] { "Payload" }), ("Warmup", new[] { "Warmup" }),
                ("IpVersion", new[] { "IPv4", "IPv6" }), ("SourceAddress", new[] { "SourceAddress" }), ("SourcePort", new[] { "SourcePort" }),
                ("Proxy", new[] { "Proxy", "ProxyCredential" })),
            Why(("Tls", "nsock ping --tcp --tls times a TLS handshake; Invoke-UdpPing is named for UDP and stays without TLS: Test-SocketPort -UseTls looks at a TLS port from PowerShell"))),
        new("Test-SocketPort", typeof(PortProbeOptions),
            Map(("Targets", new[] { "ComputerName" }), ("Ports", new[] { "Port" }), ("Groups", new[] { "ComputerName", "Port", "Endpoint" }), ("Udp", new[] { "Udp" }), ("Timeout", new[] { "Timeout" }),
                ("Parallel", new[] { "Parallel" }), ("IpVersion", new[] { "IPv4", "IPv6" }), ("SourceAddress", new[] { "SourceAddress" }), ("SourcePort", new[] { "SourcePort" }),
                ("Proxy", new[] { "Proxy", "ProxyCredential" })),
            Why()),
        new("Get-HttpRaw", typeof(HttpRequestOptions),
            Map(("Url", new[] { "Uri" }), ("Method", new[] { "Method" }), ("Headers", new[] { "Headers" }), ("Body", new[] { "Body", "InFile" }),
                ("Http10", new[] { "Http10" }), ("KeepAlive", new[] { "KeepAlive" }), ("RawRequest", new[] { "RawRequest" }),
                ("FixLineEndings", new[] { "FixLineEndings" }), ("Insecure", new[] { "SkipCertificateCheck" }), ("Sni", new[] { "ServerName" }),
                ("Timeout", new[] { "Timeout" }), ("FollowRedirects", new[] { "MaximumRedirection" }), ("MaxTime", new[] { "MaximumTime" }), ("IpVersion", new[] { "IPv4", "IPv6" }),
                ("SourceAddress", new[] { "SourceAddress" }), ("SourcePort", new[] { "SourcePort" }), ("Proxy", new[] { "Proxy", "ProxyCredential" })),
            Why(("Limits", "nsock http does not expose them either: the engine's bounds on headers and kept bodies apply"),
                ("Names", "how the module spells its parameters in messages: set by the module, not the user"))),
        new("Get-HttpRaw", typeof(HttpRequest),
            Map(("Url", new[] { "Uri" }), ("Method", new[] { "Method" }), ("Headers", new[] { "Headers" }), ("Body", new[] { "Body" }), ("BodyFile", new[] { "InFile" }),
                ("Http10", new[] { "Http10" }), ("KeepAlive", new[] { "KeepAlive" }), ("RawRequest", new[] { "RawRequest" }),
                ("FixLineEndings", new[] { "FixLineEndings" }), ("Insecure", new[] { "SkipCertificateCheck" }), ("Sni", new[] { "ServerName" }),
                ("Timeout", new[] { "Timeout" }), ("FollowRedirects", new[] { "MaximumRedirection" }), ("MaxTime", new[] { "MaximumTime" }), ("IPv4", new[] { "IPv4" }), ("IPv6", new[] { "IPv6" }),
                ("SourceAddress", new[] { "SourceAddress" }), ("SourcePort", new[] { "SourcePort" }), ("Proxy", new[] { "Proxy" }), ("ProxyCredential", new[] { "ProxyCredential" })),
            Why(("Source", "the command's one-text --source ADDR[:PORT]; the module gives the address and the port apart"))),
        new("Send-File", typeof(SendFilesRequest),
            Map(("Target", new[] { "ComputerName", "Port", "Endpoint", "Timeout", "IPv4", "IPv6", "Proxy", "ProxyCredential" }), ("Paths", new[] { "Path", "LiteralPath" }),
                ("Exclude", new[] { "Exclude" }), ("Resume", new[] { "Resume" }), ("Raw", new[] { "Raw" }), ("Hash", new[] { "Hash" })),
            Why(("CurrentFolder", "the session's current location, where relative paths and globs start: set by the module"))),
        new("Send-File", typeof(FileSendOptions), Map(("Connect", new[] { "Timeout", "IPv4", "IPv6", "Proxy", "ProxyCredential" }), ("Resume", new[] { "Resume" }), ("Hash", new[] { "Hash" }), ("Timeout", new[] { "Timeout" }),
                ("Tls", new[] { "UseTls", "SkipCertificateCheck", "CertificateAuthorityPath", "ServerName", "Pin", "Alpn", "Certificate", "CertificatePath", "KeyPath", "CertificatePassword" })), Why()),
        new("Send-File", typeof(SendOptions), Map(("Connect", new[] { "Timeout", "IPv4", "IPv6", "SourceAddress", "SourcePort", "Proxy", "ProxyCredential" }), ("ReplyTimeout", new[] { "Timeout" }),
                ("Tls", new[] { "UseTls", "SkipCertificateCheck", "CertificateAuthorityPath", "ServerName", "Pin", "Alpn", "Certificate", "CertificatePath", "KeyPath", "CertificatePassword" })),
            Why(("Crlf", "-Raw sends a file's bytes as they are; nsock send-file --raw has no --crlf either"),
                ("LineDelay", "-Raw sends a file's bytes as they are; nsock send-file --raw has no --delay either"),
                ("HexDumpPath", "nsock send-file does not record either: Send-SocketData -Path -HexDumpPath records a file sent raw"),
                ("OutputPath", "nsock send-file does not record either: Send-SocketData -Path -OutputPath records a file sent raw"))),
    };

    public static TheoryData<int> Rows()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < s_rows.Length; i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Every_engine_option_behind_the_cmdlet_is_a_parameter_or_explained(int row)
    {
        Row r = s_rows[row];
        CmdletModel cmdlet = ModuleUnderTest.Cmdlet(r.Cmdlet);
        // Internal options count too (ListenerOptions.Filter, built from -Allow/-Deny by the request): they are behind the cmdlet all the same.
        string[] settable = r.Options.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name).ToArray();
        foreach (string option in settable)
        {
            if (r.NotExposed.ContainsKey(option)) continue;
            Assert.True(r.Mapped.TryGetValue(option, out string[]? parameters), $"{r.Options.Name}.{option} is neither a parameter of {r.Cmdlet} nor explained");
            foreach (string p in parameters!) Assert.True(cmdlet.Parameter(p) is not null, $"{r.Cmdlet} has no -{p} for {r.Options.Name}.{option}");
        }
        foreach (string listed in r.Mapped.Keys.Concat(r.NotExposed.Keys))
            Assert.Contains(listed, settable); // the table names real options only
    }
}
