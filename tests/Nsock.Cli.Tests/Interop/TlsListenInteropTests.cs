using System;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>
/// nsock listen --tls against independent clients on loopback: openssl s_client (verifying a PEM certificate the test
/// made with openssl req, and presenting a client certificate for mutual TLS), python3's ssl module (the self-signed
/// certificate and its fingerprint), and nsock connect --tls. Failed handshakes are rejected events; the listener lives on.
/// </summary>
public sealed class TlsListenInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nsock-tls-listen-").FullName;

    public TlsListenInteropTests()
    {
        MakeCertificate("server", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        MakeCertificate("client", "/CN=nsock test client", "extendedKeyUsage=clientAuth");
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

    private string Pem(string name) => Path.Combine(_dir, name + ".pem");

    private string Key(string name) => Path.Combine(_dir, name + ".key");

    [Fact]
    public async Task Openssl_s_client_verifies_a_pem_listener_and_gets_its_echo_and_the_ready_event_carries_the_key_pin()
    {
        using RunningListener listener = await Nsock.ListenAsync("127.0.0.1:0", "--echo", "--tls", "--cert", Pem("server"), "--key", Key("server"));

        using ChildProcess client = SClient(listener.Port, "-verify_return_error", "-CAfile", Pem("server"));
        await client.WriteStdInAsync(Encoding.ASCII.GetBytes("hello over tls\n"), close: false);
        await client.StdOut.WaitForLineAsync(l => l == "hello over tls");

        using X509Certificate2 cert = X509Certificate2.CreateFromPem(File.ReadAllText(Pem("server")));
        Assert.Equal("sha256:" + Convert.ToBase64String(SHA256.HashData(cert.PublicKey.ExportSubjectPublicKeyInfo())), listener.Ready.GetProperty("tlsKeyPin").GetString());
        Assert.Equal(string.Join(":", SHA256.HashData(cert.RawData).Select(b => b.ToString("X2"))), listener.Ready.GetProperty("tlsCertificateSha256").GetString());
    }

    [Fact]
    public async Task Python_ssl_reads_the_self_signed_certificate_whose_fingerprint_the_listener_printed()
    {
        using RunningListener listener = await Nsock.ListenAsync("127.0.0.1:0", "--echo", "--tls-self-signed");
        const string Script = """
            import hashlib, socket, ssl, sys
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1]))), server_hostname="localhost")
            print(hashlib.sha256(s.getpeercert(binary_form=True)).hexdigest().upper())
            s.sendall(b"from python\n")
            got = b""
            while not got.endswith(b"\n"):
                got += s.recv(100)
            print(got.decode().strip())
            s.close()
            """;

        using ChildProcess python = ChildProcess.Start("python3", new[] { "-c", Script, listener.Port.ToString() });
        Assert.Equal(0, await python.WaitForExitAsync());

        string[] lines = python.StdOut.Lines;
        Assert.Equal(listener.Ready.GetProperty("tlsCertificateSha256").GetString()!.Replace(":", ""), lines[0]);
        Assert.Equal("from python", lines[1]);
        Assert.StartsWith("sha256:", listener.Ready.GetProperty("tlsKeyPin").GetString());
    }

    [Fact]
    public async Task Nsock_connect_tls_with_the_ca_gets_the_echo_of_nsock_listen_tls_and_both_end_cleanly()
    {
        using RunningListener listener = await Nsock.ListenAsync("127.0.0.1:0", "--echo", "--tls", "--cert", Pem("server"), "--key", Key("server"));

        NsockResult r = await Nsock.RunAsync(new[] { "connect", "--tls", "--ca", Pem("server"), $"localhost:{listener.Port}" }, Encoding.ASCII.GetBytes("one\ntwo\n"));

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("one\ntwo\n", r.Out);
        string closed = await Events(listener).WaitForLineAsync(l => l.Contains("\"event\":\"closed\"", StringComparison.Ordinal));
        Assert.Contains("\"bytesReceived\":8", closed);
        Assert.DoesNotContain("\"error\"", closed);
    }

    [Fact]
    public async Task Mutual_tls_refuses_a_client_without_a_certificate_and_serves_one_that_has_it()
    {
        using RunningListener listener = await Nsock.ListenAsync("127.0.0.1:0", "--echo", "--tls", "--cert", Pem("server"), "--key", Key("server"), "--client-ca", Pem("client"));

        using (ChildProcess anonymous = SClient(listener.Port, "-CAfile", Pem("server")))
        {
            await anonymous.WriteStdInAsync(Encoding.ASCII.GetBytes("anonymous\n"), close: false);
            string rejected = await Events(listener).WaitForLineAsync(l => l.Contains("\"event\":\"rejected\"", StringComparison.Ordinal));
            Assert.Contains("the client sent no certificate", rejected);
            Assert.DoesNotContain("anonymous", anonymous.StdOut.Text);
        }

        using ChildProcess known = SClient(listener.Port, "-verify_return_error", "-CAfile", Pem("server"), "-cert", Pem("client"), "-key", Key("client"));
        await known.WriteStdInAsync(Encoding.ASCII.GetBytes("with a certificate\n"), close: false);
        await known.StdOut.WaitForLineAsync(l => l == "with a certificate");
    }

    [Fact]
    public async Task A_client_that_never_handshakes_is_rejected_when_its_time_is_up_while_others_are_served()
    {
        using RunningListener listener = await Nsock.ListenAsync("127.0.0.1:0", "--echo", "--tls", "--cert", Pem("server"), "--key", Key("server"), "--handshake-timeout", "2");
        using Socket silent = await Loopback.ConnectAsync(listener.Port);

        NsockResult r = await Nsock.RunAsync(new[] { "connect", "--tls", "--ca", Pem("server"), $"localhost:{listener.Port}" }, Encoding.ASCII.GetBytes("served meanwhile\n"));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("served meanwhile\n", r.Out);

        string rejected = await Events(listener).WaitForLineAsync(l => l.Contains("\"event\":\"rejected\"", StringComparison.Ordinal));
        Assert.Contains("TLS handshake timed out after 2s", rejected);
        Assert.False(listener.Process.HasExited);
    }

    [Fact]
    public async Task Serve_over_tls_sends_the_file_a_client_names()
    {
        string folder = Directory.CreateDirectory(Path.Combine(_dir, "served")).FullName;
        byte[] content = Encoding.ASCII.GetBytes("the file's bytes\n");
        File.WriteAllBytes(Path.Combine(folder, "a.txt"), content);
        using RunningListener listener = await Nsock.ListenAsync("127.0.0.1:0", "--serve", folder, "--tls-self-signed");

        using ChildProcess client = SClient(listener.Port);
        await client.WriteStdInAsync(Encoding.ASCII.GetBytes("a.txt\n"), close: false);

        await client.StdOut.WaitForLineAsync(l => l == "the file's bytes");
    }

    [Fact]
    public async Task Send_file_over_tls_pinned_to_the_printed_key_arrives_whole_in_receive_files_over_tls()
    {
        string inbox = Directory.CreateDirectory(Path.Combine(_dir, "inbox")).FullName;
        string sent = Path.Combine(_dir, "payload.bin");
        byte[] payload = new byte[3 * 1024 * 1024 + 17];
        new Random(16).NextBytes(payload);
        File.WriteAllBytes(sent, payload);
        using RunningListener listener = await Nsock.ListenAsync("127.0.0.1:0", "--receive-files", inbox, "--tls-self-signed");
        string pin = listener.Ready.GetProperty("tlsKeyPin").GetString()!;

        NsockResult r = await Nsock.RunAsync("send-file", "--tls", "--pin", pin, $"127.0.0.1:{listener.Port}", sent);

        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("verified", r.Out + r.StdErr);
        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(File.ReadAllBytes(Path.Combine(inbox, "payload.bin"))));
    }

    [Theory]
    [InlineData("--tls", "--tls on a listener needs a certificate: --cert FILE")]
    [InlineData("--cert", "--cert applies to TLS: give --tls")]
    public async Task Tls_options_that_do_not_fit_are_exit_2_naming_them(string option, string message)
    {
        string[] args = option == "--cert" ? new[] { "listen", "127.0.0.1:0", "--cert", Pem("server") } : new[] { "listen", "127.0.0.1:0", "--tls" };

        NsockResult r = await Nsock.RunAsync(args);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.StdErr);
    }

    private static ChildProcess.Capture Events(RunningListener listener) => listener.ReadyOnStdout ? listener.Process.StdOut : listener.Process.StdErr;

    // -quiet: no session chatter on stdout, and the connection stays open after stdin is written (-ign_eof).
    private static ChildProcess SClient(int port, params string[] extra) =>
        ChildProcess.Start("openssl", new[] { "s_client", "-connect", $"127.0.0.1:{port}", "-servername", "localhost", "-quiet" }.Concat(extra));

    private void MakeCertificate(string name, string subject, string extension)
    {
        using ChildProcess p = ChildProcess.Start("openssl", new[] { "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", Key(name), "-out", Pem(name), "-days", "2", "-subj", subject, "-addext", extension });
        Assert.Equal(0, p.WaitForExitAsync().GetAwaiter().GetResult());
    }
}
