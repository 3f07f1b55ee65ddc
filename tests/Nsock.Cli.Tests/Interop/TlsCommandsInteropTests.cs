using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>
/// TLS on send-file, ping --tcp and probe, against independent TLS ends: socat OPENSSL-LISTEN in front of a plain
/// nsock listen --receive-files, openssl s_server, a plain TCP port and a silent one; certificates made by openssl
/// in a temp folder (one expiring in 3 days, one valid for 300).
/// </summary>
public sealed class TlsCommandsInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nsock-tlscmd-").FullName;

    public TlsCommandsInteropTests()
    {
        SelfSigned("soon", 3);
        SelfSigned("later", 300);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Send_file_over_tls_reaches_a_receiver_behind_a_tls_terminator_verified()
    {
        string received = Directory.CreateDirectory(P("received")).FullName;
        byte[] data = Data.Random(3_000_000);
        File.WriteAllBytes(P("payload.bin"), data);
        using RunningListener listener = await Nsock.ListenAsync("127.0.0.1:0", "--receive-files", received);
        using Peers.Server tls = await Peers.SocatListenAsync($"OPENSSL-LISTEN:0,bind=127.0.0.1,cert={P("later.pem")},key={P("later.key")},verify=0", $"TCP:127.0.0.1:{listener.Port}");

        NsockResult r = await Nsock.RunAsync("send-file", "--tls", "--pin", PinOf("later.pem"), "-v", $"127.0.0.1:{tls.Port}", P("payload.bin"));

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("verified", r.Out);
        Assert.Contains("(pinned)", r.StdErr);
        Assert.Equal(Data.Sha256(data), Data.Sha256(Path.Combine(received, "payload.bin")));
    }

    [Fact]
    public async Task Send_file_raw_over_tls_delivers_the_bytes_to_a_tls_byte_sink()
    {
        byte[] data = Data.Random(500_000);
        File.WriteAllBytes(P("raw.bin"), data);
        using Peers.Server tls = await Peers.SocatListenAsync("-u", $"OPENSSL-LISTEN:0,bind=127.0.0.1,cert={P("later.pem")},key={P("later.key")},verify=0", "STDOUT");

        NsockResult r = await Nsock.RunAsync("send-file", "--raw", "--pin", PinOf("later.pem"), $"tls://127.0.0.1:{tls.Port}", P("raw.bin"));

        Assert.True(r.ExitCode == 0, r.ToString());
        await tls.Process.WaitForExitAsync();
        Assert.Equal(Data.Sha256(data), Data.Sha256(tls.Process.StdOut.Bytes));
    }

    [Fact]
    public async Task Ping_tcp_tls_reports_the_connect_and_the_handshake_apart()
    {
        using Peers.Server server = await SServerAsync("later", "-naccept", "2");

        NsockResult r = await Nsock.RunAsync("ping", "--tcp", "--tls", "--pin", PinOf("later.pem"), "-c", "2", "-i", "0", "--json", $"127.0.0.1:{server.Port}");

        Assert.True(r.ExitCode == 0, r.ToString());
        JsonElement[] replies = Events(r, "reply");
        Assert.Equal(2, replies.Length);
        Assert.All(replies, e => Assert.True(e.GetProperty("tlsMs").GetDouble() > 0));
        Assert.Single(Events(r, "tls")); // once, not once a probe
    }

    [Theory]
    [InlineData("socks5")]
    [InlineData("http")]
    public async Task Send_file_and_ping_over_tls_go_through_a_proxy_with_tls_inside_the_tunnel(string kind)
    {
        string received = Directory.CreateDirectory(P("via-" + kind)).FullName;
        byte[] data = Data.Random(700_000);
        File.WriteAllBytes(P(kind + ".bin"), data);
        using TestProxy proxy = await TestProxy.StartAsync(kind);
        using RunningListener listener = await Nsock.ListenAsync("127.0.0.1:0", "--receive-files", received);
        using Peers.Server tls = await Peers.SocatListenAsync($"OPENSSL-LISTEN:0,bind=127.0.0.1,cert={P("later.pem")},key={P("later.key")},verify=0", $"TCP:127.0.0.1:{listener.Port}");

        NsockResult sent = await Nsock.RunAsync("send-file", "--tls", "--pin", PinOf("later.pem"), "--proxy", proxy.Url(), $"127.0.0.1:{tls.Port}", P(kind + ".bin"));

        Assert.True(sent.ExitCode == 0, sent.ToString());
        Assert.Equal(Data.Sha256(data), Data.Sha256(Path.Combine(received, kind + ".bin")));

        using Peers.Server server = await SServerAsync("later", "-naccept", "1");
        NsockResult ping = await Nsock.RunAsync("ping", "--tcp", "--tls", "--pin", PinOf("later.pem"), "--proxy", proxy.Url(), "-c", "1", "--json", $"127.0.0.1:{server.Port}");
        Assert.True(ping.ExitCode == 0, ping.ToString());
        Assert.True(Assert.Single(Events(ping, "reply")).GetProperty("tlsMs").GetDouble() > 0);
    }

    [Fact]
    public async Task Ping_tls_without_tcp_is_bad_input()
    {
        NsockResult r = await Nsock.RunAsync("ping", "--tls", "127.0.0.1:1");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--tcp", r.StdErr);
    }

    [Fact]
    public async Task Probe_tls_tells_a_tls_port_from_a_plain_one_and_a_silent_one_within_the_timeout()
    {
        using Peers.Server tls = await SServerAsync("later");
        using var plain = new TcpListener(IPAddress.Loopback, 0); // answers the ClientHello with plain text, then closes
        plain.Start();
        int plainPort = ((IPEndPoint)plain.LocalEndpoint).Port;
        Task serve = Task.Run(async () =>
        {
            using Socket s = await plain.AcceptSocketAsync(); // the probe's connect
            using Socket t = await plain.AcceptSocketAsync(); // the TLS look
            await t.SendAsync("SSH-2.0-not-tls\r\n"u8.ToArray(), SocketFlags.None);
            t.Shutdown(SocketShutdown.Both);
        });
        using var silent = new TcpListener(IPAddress.Loopback, 0); // accepts (the kernel does) and never answers
        silent.Start();
        int silentPort = ((IPEndPoint)silent.LocalEndpoint).Port;

        NsockResult r = await Nsock.RunAsync("probe", "--tls", "--json", "--timeout", "2", "-p", $"{tls.Port},{plainPort},{silentPort}", "127.0.0.1");

        Assert.True(r.ExitCode == 0, r.ToString());
        JsonElement[] ports = Events(r, "port");
        Assert.Equal(new[] { tls.Port, plainPort, silentPort }, ports.Select(p => p.GetProperty("port").GetInt32()));
        JsonElement t0 = ports[0].GetProperty("tls");
        Assert.True(t0.GetProperty("speaksTls").GetBoolean());
        Assert.Equal("CN=localhost", t0.GetProperty("subject").GetString());
        Assert.InRange(t0.GetProperty("daysLeft").GetInt32(), 298, 300);
        Assert.False(t0.GetProperty("verified").GetBoolean()); // self-signed, not in the system store
        Assert.False(ports[1].GetProperty("tls").GetProperty("speaksTls").GetBoolean());
        Assert.False(ports[2].GetProperty("tls").GetProperty("speaksTls").GetBoolean());
        Assert.Contains("within 2s", ports[2].GetProperty("tls").GetProperty("problem").GetString());
        await serve.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Probe_tls_with_the_ca_file_verifies_and_expires_within_fails_for_a_certificate_expiring_in_3_days()
    {
        using Peers.Server soon = await SServerAsync("soon");
        using Peers.Server later = await SServerAsync("later");

        NsockResult r = await Nsock.RunAsync("probe", "--tls", "--ca", P("soon.pem"), "--expires-within", "30", "-4", "-p", $"{soon.Port},{later.Port}", "localhost");

        Assert.Equal(8, r.ExitCode);
        string soonLine = r.Out.Split('\n').Single(l => l.Contains($" {soon.Port}/tcp open", StringComparison.Ordinal));
        Assert.Matches(@"\((2|3) days left\) verified", soonLine);
        Assert.Contains("1 certificate expires within 30 days", r.StdErr);

        using Peers.Server later2 = await SServerAsync("later");
        NsockResult ok = await Nsock.RunAsync("probe", "--tls", "--expires-within", "30", "-p", $"{later2.Port}", "127.0.0.1");
        Assert.True(ok.ExitCode == 0, ok.ToString());
    }

    [Fact]
    public async Task Probe_tls_through_a_proxy_is_bad_input_for_now()
    {
        NsockResult r = await Nsock.RunAsync("probe", "--tls", "--proxy", "socks5://127.0.0.1:1", "-p", "1", "127.0.0.1");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("does not go through --proxy yet", r.StdErr);
    }

    [Theory]
    [InlineData("--expires-within", "30", "--expires-within applies to TLS")]
    [InlineData("--ca", "x.pem", "--ca applies to TLS")]
    public async Task Probe_tls_options_without_tls_are_bad_input(string option, string value, string message)
    {
        NsockResult r = await Nsock.RunAsync("probe", option, value, "-p", "1", "127.0.0.1");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.StdErr);
    }

    private static JsonElement[] Events(NsockResult r, string name) => r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Where(l => l.StartsWith('{'))
        .Select(l => JsonDocument.Parse(l).RootElement)
        .Where(e => e.GetProperty("event").GetString() == name)
        .ToArray();

    private string PinOf(string cert)
    {
        string der = P(cert + ".spki.der"), pub = P(cert + ".pub.pem");
        OpenSsl("x509", "-in", P(cert), "-pubkey", "-noout", "-out", pub);
        OpenSsl("pkey", "-pubin", "-in", pub, "-outform", "der", "-out", der);
        return "sha256:" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(der)));
    }

    private void SelfSigned(string name, int days) =>
        OpenSsl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", days.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", P(name + ".key"), "-out", P(name + ".pem"));

    private void OpenSsl(params string[] args)
    {
        using ChildProcess p = ChildProcess.Start("openssl", args);
        p.CloseStdIn();
        int code = p.WaitForExitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        Assert.True(code == 0, $"openssl {string.Join(" ", args)}: exit {code}: {p.StdErr.Text}");
    }

    // s_server with -naccept 1 unless the extra arguments say otherwise: the probe's connect and its TLS look are two.
    private async Task<Peers.Server> SServerAsync(string leaf, params string[] extra)
    {
        string[] naccept = extra.Contains("-naccept") ? Array.Empty<string>() : new[] { "-naccept", "2" };
        ChildProcess p = ChildProcess.Start("openssl", new[] { "s_server", "-accept", "127.0.0.1:0", "-cert", P(leaf + ".pem"), "-key", P(leaf + ".key") }.Concat(naccept).Concat(extra));
        try
        {
            string line = await p.StdOut.WaitForLineAsync(l => l.StartsWith("ACCEPT", StringComparison.Ordinal));
            Match m = Regex.Match(line, @":(\d+)\s*$");
            Assert.True(m.Success, $"no port in s_server's line: {line}");
            return new Peers.Server(p, int.Parse(m.Groups[1].Value));
        }
        catch
        {
            p.Dispose();
            throw;
        }
    }

    private string P(string name) => Path.Combine(_dir, name);
}
