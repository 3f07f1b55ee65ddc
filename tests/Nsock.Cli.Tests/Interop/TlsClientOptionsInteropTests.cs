using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>
/// --pin, --alpn and --cert/--key (mutual TLS) against independent peers: openssl s_server and a python3 ssl server,
/// with certificates openssl makes in a temp folder (a self-signed one for pinning, a CA with a server and a client
/// certificate for mutual TLS). The expected pins are computed by openssl, not by nsock.
/// </summary>
public sealed class TlsClientOptionsInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nsock-tlsc-").FullName;

    public TlsClientOptionsInteropTests()
    {
        OpenSsl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", P("self.key"), "-out", P("self.pem"));
        OpenSsl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=nsock mtls CA",
            "-keyout", P("ca.key"), "-out", P("ca.pem"));
        Signed("server", "localhost", "serverAuth", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        Signed("client", "nsock client", "clientAuth", null);
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
    public async Task Pin_of_the_servers_key_accepts_a_self_signed_server_without_a_ca_and_verbose_shows_it()
    {
        string pin = PinOf("self.pem");
        using Peers.Server server = await SServerAsync("self", "-rev");

        NsockResult r = await Nsock.RunAsync(new[] { "connect", "--tls", "--pin", pin, "-v", $"localhost:{server.Port}" }, Encoding.ASCII.GetBytes("hello\n"));

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("olleh\n", r.Out);
        Assert.Contains("pin=" + pin + " (pinned)", r.StdErr);
    }

    [Fact]
    public async Task Several_pins_accept_the_one_that_matches_and_the_tls_event_carries_the_pin()
    {
        string pin = PinOf("self.pem");
        string other = "sha256:" + Convert.ToBase64String(new byte[32]);
        using Peers.Server server = await SServerAsync("self", "-rev");

        NsockResult r = await Nsock.RunAsync(new[] { "send", "-r", "--json", "--pin", other + "," + pin, $"tls://127.0.0.1:{server.Port}", "abc\n" });

        Assert.True(r.ExitCode == 0, r.ToString());
        JsonElement tls = TlsEvent(r);
        Assert.Equal(pin, tls.GetProperty("publicKeyPin").GetString());
        Assert.True(tls.GetProperty("pinned").GetBoolean());
        Assert.False(tls.GetProperty("verified").GetBoolean()); // self-signed: the chain did not verify, the pin decided
    }

    [Fact]
    public async Task A_pin_that_does_not_match_is_exit_7_naming_the_expected_and_the_actual_pin()
    {
        string pin = PinOf("self.pem");
        string wrong = "sha256:" + Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray());
        using Peers.Server server = await SServerAsync("self", "-rev");

        NsockResult r = await Nsock.RunAsync(new[] { "send", "--pin", wrong, $"tls://localhost:{server.Port}", "x\n" });

        Assert.Equal(7, r.ExitCode);
        Assert.Contains("expected " + wrong, r.StdErr);
        Assert.Contains("the server's key is " + pin, r.StdErr);
        Assert.Contains("--pin", r.StdErr);
    }

    [Fact]
    public async Task Without_a_pin_the_self_signed_server_is_refused_and_the_json_pin_is_what_openssl_computes()
    {
        string pin = PinOf("self.pem");
        using (Peers.Server server = await SServerAsync("self", "-rev"))
        {
            NsockResult refused = await Nsock.RunAsync(new[] { "send", $"tls://localhost:{server.Port}", "x\n" });
            Assert.Equal(7, refused.ExitCode);
        }
        using (Peers.Server server = await SServerAsync("self", "-rev"))
        {
            NsockResult r = await Nsock.RunAsync(new[] { "send", "--json", "--insecure", $"tls://localhost:{server.Port}", "x\n" });
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal(pin, TlsEvent(r).GetProperty("publicKeyPin").GetString());
            Assert.False(TlsEvent(r).GetProperty("pinned").GetBoolean());
        }
    }

    [Fact]
    public async Task Alpn_offers_the_protocols_and_the_tls_event_names_the_one_the_server_chose()
    {
        ChildProcess p = Peers.Python("tls_alpn_server.py", P("self.pem"), P("self.key"), "h2");
        using var server = new Peers.Server(p, int.Parse((await p.StdOut.WaitForLineAsync(l => l.Length > 0)).Trim()));

        NsockResult r = await Nsock.RunAsync(new[] { "recv", "--json", "--alpn", "h2,http/1.1", "--pin", PinOf("self.pem"), $"tls://127.0.0.1:{server.Port}" });

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("h2", TlsEvent(r).GetProperty("alpn").GetString());
        Assert.Contains("alpn=h2", r.Out); // the server's side of it
    }

    [Fact]
    public async Task Alpn_without_a_protocol_the_server_takes_is_no_alpn()
    {
        ChildProcess p = Peers.Python("tls_alpn_server.py", P("self.pem"), P("self.key"), "h2");
        using var server = new Peers.Server(p, int.Parse((await p.StdOut.WaitForLineAsync(l => l.Length > 0)).Trim()));

        NsockResult r = await Nsock.RunAsync(new[] { "recv", "-v", "--alpn", "http/1.1", "--pin", PinOf("self.pem"), $"tls://127.0.0.1:{server.Port}" });

        // OpenSSL servers without a common protocol carry on without ALPN (RFC 7301 allows a no_application_protocol alert instead).
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("alpn=-", r.Out);
        Assert.Contains(" alpn=- ", r.StdErr);
    }

    [Fact]
    public async Task A_client_certificate_is_accepted_by_a_server_that_requires_one()
    {
        using Peers.Server server = await SServerAsync("server", "-rev", "-Verify", "1", "-CAfile", P("ca.pem"));

        NsockResult r = await Nsock.RunAsync(new[] { "connect", "--tls", "--ca", P("ca.pem"), "--cert", P("client.pem"), "--key", P("client.key"), $"localhost:{server.Port}" },
            Encoding.ASCII.GetBytes("mutual\n"));

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("lautum\n", r.Out); // the same server refuses a client without the certificate (the test below)
    }

    [Fact]
    public async Task A_pfx_client_certificate_opened_by_NSOCK_CERT_PASSWORD_is_accepted()
    {
        OpenSsl("pkcs12", "-export", "-in", P("client.pem"), "-inkey", P("client.key"), "-out", P("client.pfx"), "-passout", "pass:s3cret");
        using Peers.Server server = await SServerAsync("server", "-rev", "-Verify", "1", "-CAfile", P("ca.pem"));

        NsockResult r = await Nsock.RunWithEnvironmentAsync(new Dictionary<string, string> { ["NSOCK_CERT_PASSWORD"] = "s3cret" },
            "send", "-r", "--ca", P("ca.pem"), "--cert", P("client.pfx"), $"tls://localhost:{server.Port}", "pfx\n");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("xfp\n", r.Out);
    }

    [Fact]
    public async Task Without_a_client_certificate_a_server_that_requires_one_refuses_and_nsock_exits_7_with_its_reason()
    {
        using Peers.Server server = await SServerAsync("server", "-rev", "-Verify", "1", "-CAfile", P("ca.pem"));

        NsockResult r = await Nsock.RunAsync(new[] { "connect", "--tls", "--ca", P("ca.pem"), $"localhost:{server.Port}" }, Encoding.ASCII.GetBytes("nobody\n"));

        Assert.Equal(7, r.ExitCode);
        Assert.Empty(r.StdOut);
        Assert.Contains("certificate required", r.StdErr); // the alert the server sent, in OpenSSL's words
    }

    [Theory]
    [InlineData("--pin", "sha256:YWJj", "is 32 bytes", "--pin")]
    [InlineData("--pin", "md5:AAAA", "is not sha256:BASE64", "--pin")]
    [InlineData("--alpn", ",", "--alpn is empty", "--alpn")]
    [InlineData("--key", "client.key", "--key is the key of --cert", "--key")]
    [InlineData("--cert", "missing.pem", "cannot read --cert", "--cert")]
    [InlineData("--cert", "client.pem", "cannot load the certificate and its private key", "--cert")]
    [InlineData("--cert-password", "x", "--cert-password opens --cert", "--cert-password")]
    public async Task Tls_client_options_that_do_not_fit_are_bad_input_before_connecting(string option, string value, string message, string named)
    {
        string v = value.EndsWith(".pem", StringComparison.Ordinal) || value.EndsWith(".key", StringComparison.Ordinal) ? P(value) : value;

        NsockResult r = await Nsock.RunAsync(new[] { "send", option, v, "tls://127.0.0.1:1", "x" });

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.StdErr);
        Assert.Contains(named, r.StdErr);
    }

    [Fact]
    public async Task Pin_with_insecure_or_ca_is_bad_input()
    {
        string pin = PinOf("self.pem");
        NsockResult insecure = await Nsock.RunAsync(new[] { "send", "--pin", pin, "--insecure", "tls://127.0.0.1:1", "x" });
        NsockResult ca = await Nsock.RunAsync(new[] { "send", "--pin", pin, "--ca", P("ca.pem"), "tls://127.0.0.1:1", "x" });
        NsockResult plain = await Nsock.RunAsync(new[] { "send", "--pin", pin, "127.0.0.1:1", "x" });

        Assert.Equal(2, insecure.ExitCode);
        Assert.Contains("give one", insecure.StdErr);
        Assert.Equal(2, ca.ExitCode);
        Assert.Contains("replaces certificate verification", ca.StdErr);
        Assert.Equal(2, plain.ExitCode);
        Assert.Contains("--pin applies to TLS", plain.StdErr);
    }

    // Events are on stdout, or on stderr when stdout carries the data (send -r, recv).
    private static JsonElement TlsEvent(NsockResult r) => (r.Out + "\n" + r.StdErr).Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Where(l => l.StartsWith('{'))
        .Select(l => JsonDocument.Parse(l).RootElement)
        .Single(e => e.GetProperty("event").GetString() == "tls")
        .GetProperty("tls");

    // The pin as curl documents computing it: the public key as DER, SHA-256, base64.
    private string PinOf(string cert)
    {
        string der = P(cert + ".spki.der");
        string pub = P(cert + ".pub.pem");
        OpenSsl("x509", "-in", P(cert), "-pubkey", "-noout", "-out", pub);
        OpenSsl("pkey", "-pubin", "-in", pub, "-outform", "der", "-out", der);
        return "sha256:" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(der)));
    }

    private void Signed(string name, string cn, string usage, string? san)
    {
        OpenSsl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=" + cn, "-keyout", P(name + ".key"), "-out", P(name + ".csr"));
        File.WriteAllText(P(name + ".ext"), $"extendedKeyUsage={usage}\n" + (san is null ? "" : san + "\n"));
        OpenSsl("x509", "-req", "-in", P(name + ".csr"), "-CA", P("ca.pem"), "-CAkey", P("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", P(name + ".ext"), "-out", P(name + ".pem"));
    }

    private void OpenSsl(params string[] args)
    {
        using ChildProcess p = ChildProcess.Start("openssl", args);
        p.CloseStdIn();
        int code = p.WaitForExitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        Assert.True(code == 0, $"openssl {string.Join(" ", args)}: exit {code}: {p.StdErr.Text}");
    }

    private async Task<Peers.Server> SServerAsync(string leaf, params string[] extra)
    {
        ChildProcess p = ChildProcess.Start("openssl", new[] { "s_server", "-accept", "127.0.0.1:0", "-naccept", "1",
            "-cert", P(leaf + ".pem"), "-key", P(leaf + ".key") }.Concat(extra));
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
