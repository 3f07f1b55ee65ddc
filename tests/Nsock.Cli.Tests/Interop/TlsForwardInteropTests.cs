using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>
/// TLS through nsock forward between independent peers: a python3 ssl client through a TLS terminator (--tls-self-signed)
/// to a plain python echo server, with the listener's per-client tls event; nc through a forward to an
/// <c>openssl s_server</c> target (tls://, verified with --ca) with each half-close passed; a target that does not
/// verify (the client reset, the reason said without -v); the target's options refused where they do not fit.
/// </summary>
public sealed class TlsForwardInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nsock-tls-fwd-").FullName;
    private readonly string _caPem;

    public TlsForwardInteropTests()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=nsock forward test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using X509Certificate2 ca = caRequest.CreateSelfSigned(now.AddDays(-30), now.AddDays(30));
        _caPem = Write("ca.pem", ca.ExportCertificatePem());

        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        using X509Certificate2 cert = request.Create(ca, now.AddDays(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(8));
        Write("server.pem", cert.ExportCertificatePem());
        Write("server.key", key.ExportPkcs8PrivateKeyPem());
        Fingerprint = string.Join(":", SHA256.HashData(cert.RawData).Select(b => b.ToString("X2")));
    }

    private string Fingerprint { get; }

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
    public async Task A_python_ssl_client_through_a_tls_terminator_reaches_a_plain_echo_server_and_json_has_its_tls_event()
    {
        using Peers.Server echo = await Peers.PythonEchoServerAsync();
        (ChildProcess forward, int port) = await StartForwardAsync("127.0.0.1:0", $"127.0.0.1:{echo.Port}", "--tls-self-signed", "--json");
        using (forward)
        {
            using ChildProcess client = ChildProcess.Start("python3", new[] { "-c", PythonTlsClient, port.ToString(), "nsock.test" });
            Assert.Equal(0, await client.WaitForExitAsync());
            Assert.Equal("hello through tls\n", client.StdOut.Text);

            string tlsLine = await forward.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"tls\"", StringComparison.Ordinal));
            using JsonDocument tls = JsonDocument.Parse(tlsLine);
            Assert.Equal(1, tls.RootElement.GetProperty("client").GetInt64());
            Assert.Equal("nsock.test", tls.RootElement.GetProperty("tls").GetProperty("serverName").GetString());
            Assert.StartsWith("Tls", tls.RootElement.GetProperty("tls").GetProperty("protocol").GetString());
            Assert.False(tls.RootElement.GetProperty("tls").GetProperty("verified").GetBoolean());
            string[] events = forward.StdOut.Lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("event").GetString()!).ToArray();
            Assert.True(Array.IndexOf(events, "connected") < Array.IndexOf(events, "tls"), string.Join(",", events));
        }
    }

    [Fact]
    public async Task Listen_tls_verbose_says_what_each_client_negotiated_on_a_line_of_its_own()
    {
        using ChildProcess listen = Nsock.Start("listen", "--tls", "--cert", Path.Combine(_dir, "server.pem"), "--key", Path.Combine(_dir, "server.key"), "--echo", "-v", "127.0.0.1:0");
        string ready = await listen.StdErr.WaitForLineAsync(l => l.StartsWith("nsock: listening on", StringComparison.Ordinal));
        int port = int.Parse(ready[(ready.LastIndexOf(':') + 1)..]);

        using ChildProcess client = ChildProcess.Start("python3", new[] { "-c", PythonTlsClient, port.ToString(), "nsock.test" });
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal("hello through tls\n", client.StdOut.Text);

        string line = await listen.StdErr.WaitForLineAsync(l => l.StartsWith("nsock: connection 1 from", StringComparison.Ordinal) && l.Contains(": TLS ", StringComparison.Ordinal));
        Assert.Matches(@"^nsock: connection 1 from 127\.0\.0\.1:\d+: TLS Tls1[23] TLS_\w+ sni=nsock\.test no client certificate$", line);
    }

    [Fact]
    public async Task Nc_through_nsock_forward_to_an_openssl_tls_target_gets_its_answer_after_the_half_close_and_verbose_names_the_target_tls()
    {
        using Peers.Server target = await SServerAsync("-rev");
        (ChildProcess forward, int port) = await StartForwardAsync("127.0.0.1:0", $"tls://localhost:{target.Port}", "--ca", _caPem, "-v");
        using (forward)
        {
            using ChildProcess nc = ChildProcess.Start("nc", new[] { "-N", "127.0.0.1", port.ToString() });
            await nc.WriteStdInAsync(Encoding.ASCII.GetBytes("hello\nworld\n"));

            Assert.Equal(0, await nc.WaitForExitAsync());
            Assert.Equal("olleh\ndlrow\n", nc.StdOut.Text);
            string forwarded = await forward.StdErr.WaitForLineAsync(l => l.Contains("forwarded to", StringComparison.Ordinal));
            Assert.Contains("subject='CN=localhost'", forwarded);
            Assert.Contains("sha256=" + Fingerprint, forwarded);
            Assert.DoesNotContain("NOT verified", forwarded);
            string closed = await forward.StdErr.WaitForLineAsync(l => l.Contains(" closed: ", StringComparison.Ordinal));
            Assert.Contains("12 bytes in, 12 out", closed);
        }
    }

    [Fact]
    public async Task A_tls_target_that_does_not_verify_resets_the_client_says_why_without_verbose_and_the_forward_lives()
    {
        using Peers.Server target = await SServerAsync();
        (ChildProcess forward, int port) = await StartForwardAsync("127.0.0.1:0", $"tls://localhost:{target.Port}");
        using (forward)
        {
            using ChildProcess nc = ChildProcess.Start("nc", new[] { "-N", "127.0.0.1", port.ToString() });
            try
            {
                await nc.WriteStdInAsync(Encoding.ASCII.GetBytes("never served\n"));
            }
            catch (IOException)
            {
                // nc may already be gone: the reset can come before its input is written.
            }
            nc.CloseStdIn();
            await nc.WaitForExitAsync();

            Assert.Equal("", nc.StdOut.Text);
            string line = await forward.StdErr.WaitForLineAsync(l => l.Contains("certificate verification failed", StringComparison.Ordinal));
            Assert.Contains($"target tls://localhost:{target.Port}", line);
            Assert.Contains("unknown CA", line);
            Assert.False(forward.HasExited);
        }
    }

    [Theory]
    [InlineData("--insecure applies to a TLS target: give TARGET as tls://host:port", "forward", "127.0.0.1:0", "127.0.0.1:9", "--insecure")]
    [InlineData("a TLS target takes a stream listener (tcp or unix), not UDP", "forward", "--udp", "127.0.0.1:0", "tls://127.0.0.1:9")]
    [InlineData("--target-key is the key of --target-cert", "forward", "127.0.0.1:0", "tls://127.0.0.1:9", "--target-key", "x.key")]
    [InlineData("--insecure skips verification and --ca says how to verify", "forward", "127.0.0.1:0", "tls://127.0.0.1:9", "--insecure", "--ca", "ca.pem")]
    [InlineData("--cert applies to TLS: give --tls", "forward", "127.0.0.1:0", "tls://127.0.0.1:9", "--cert", "x.pem")]
    public async Task Target_tls_options_that_do_not_fit_are_exit_2_naming_them(string message, params string[] args)
    {
        NsockResult r = await Nsock.RunAsync(args);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains(message, r.StdErr);
    }

    // Connects with python3's ssl (no verification: the listener's certificate is self-signed), asking for the name
    // given (SNI), sends a line and prints the echo.
    private const string PythonTlsClient = """
        import socket, ssl, sys
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20), server_hostname=sys.argv[2])
        s.sendall(b"hello through tls\n")
        data = b""
        while not data.endswith(b"\n"):
            chunk = s.recv(100)
            if not chunk:
                break
            data += chunk
        sys.stdout.write(data.decode())
        s.close()
        """;

    // openssl s_server on a loopback port it picks (it prints "ACCEPT 127.0.0.1:PORT").
    private async Task<Peers.Server> SServerAsync(params string[] extra)
    {
        ChildProcess p = ChildProcess.Start("openssl", new[] { "s_server", "-accept", "127.0.0.1:0",
            "-cert", Path.Combine(_dir, "server.pem"), "-key", Path.Combine(_dir, "server.key") }.Concat(extra));
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

    // nsock forward started and listening: the port from its ready event (--json) or its "listening on" line.
    private static async Task<(ChildProcess, int)> StartForwardAsync(string listen, string target, params string[] more)
    {
        ChildProcess p = Nsock.Start(new[] { "forward", listen, target }.Concat(more).ToArray());
        try
        {
            if (more.Contains("--json"))
            {
                string ready = await p.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"ready\"", StringComparison.Ordinal));
                using JsonDocument doc = JsonDocument.Parse(ready);
                return (p, doc.RootElement.GetProperty("port").GetInt32());
            }
            string line = await p.StdErr.WaitForLineAsync(l => l.StartsWith("nsock: listening on", StringComparison.Ordinal));
            return (p, int.Parse(line[(line.LastIndexOf(':') + 1)..]));
        }
        catch
        {
            p.Dispose();
            throw;
        }
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
