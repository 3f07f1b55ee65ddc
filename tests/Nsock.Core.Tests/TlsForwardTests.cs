using System;
using System.IO;
using System.Linq;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// A TLS listener's per-client <c>tls</c> event (what each client negotiated, its SNI and its certificate), and TLS in
/// a forward: a <c>tls://</c> target (<c>openssl s_server</c>) verified by a CA file or a pin, a half-close through it,
/// a target that does not verify (the client reset, the reason said), and a TLS listener in front of a TLS target.
/// </summary>
public sealed class TlsForwardTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nsock-tls-fwd-").FullName;
    private readonly X509Certificate2 _ca;
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TlsForwardTests()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var caRequest = new CertificateRequest("CN=nsock forward client CA", _caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        _ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(2));
        File.WriteAllText(Path.Combine(_dir, "client-ca.pem"), _ca.ExportCertificatePem());
    }

    public void Dispose()
    {
        _ca.Dispose();
        _caKey.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static ListenerOptions Plan(ListenRequest r) => r.Validate(PlainOptionNames.Instance).Options;

    [Fact]
    public async Task A_tls_listener_reports_what_each_client_negotiated_right_after_it_connected()
    {
        await using RunningListener server = await RunningListener.StartAsync(Plan(new ListenRequest { Endpoint = "127.0.0.1:0", Echo = true, TlsSelfSigned = true }));

        Assert.Equal("first", await EchoAsync(server.Endpoint, "first", sni: "localhost"));
        Assert.Equal("second", await EchoAsync(server.Endpoint, "second", sni: "nsock.test"));

        var tls = (await server.Sink.WaitForAsync<ClientTlsNegotiated>(2)).OrderBy(t => t.Client).ToList();
        var connected = server.Sink.Of<ClientConnected>().OrderBy(c => c.Client).ToList();
        Assert.Equal(new long[] { 1, 2 }, tls.Select(t => t.Client));
        Assert.Equal(connected.Select(c => c.Remote), tls.Select(t => t.Remote));
        Assert.Equal("localhost", tls[0].Tls.ServerName);
        Assert.Equal("nsock.test", tls[1].Tls.ServerName);
        Assert.StartsWith("Tls", tls[0].Tls.Protocol);
        Assert.StartsWith("TLS_", tls[0].Tls.CipherSuite);
        Assert.Null(tls[0].Tls.Alpn);
        // No client certificate (none asked for): its fields are empty, and nothing was verified.
        Assert.Equal("", tls[0].Tls.Subject);
        Assert.Equal("", tls[0].Tls.Sha256Fingerprint);
        Assert.False(tls[0].Tls.Verified);
        // Each after its client's connected event, as the other per-client events.
        var events = server.Sink.Of<NsockEvent>().ToList();
        Assert.True(events.FindIndex(e => e is ClientConnected { Client: 1 }) < events.FindIndex(e => e is ClientTlsNegotiated { Client: 1 }));
    }

    [Fact]
    public async Task The_one_client_relay_reports_its_clients_handshake_too()
    {
        var output = new MemoryStream();
        await using RunningListener server = await RunningListener.StartAsync(Plan(new ListenRequest { Endpoint = "127.0.0.1:0", TlsSelfSigned = true }),
            new MemoryStream(Encoding.ASCII.GetBytes("from the listener\n")), Stream.Synchronized(output));

        Assert.Equal("from the listener\n", await EchoAsync(server.Endpoint, "from the client\n", sni: "relay.test"));

        await server.FinishedAsync();
        ClientTlsNegotiated tls = server.Sink.Of<ClientTlsNegotiated>().Single();
        Assert.Equal(1, tls.Client);
        Assert.Equal("relay.test", tls.Tls.ServerName);
        Assert.Equal(server.Sink.Of<ClientConnected>().Single().Remote, tls.Remote);
    }

    [Fact]
    public async Task Mutual_tls_reports_the_client_certificate_it_verified()
    {
        await using RunningListener server = await RunningListener.StartAsync(Plan(new ListenRequest
            { Endpoint = "127.0.0.1:0", Echo = true, TlsSelfSigned = true, ClientCaPath = Path.Combine(_dir, "client-ca.pem") }));
        using X509Certificate2 client = ClientCertificate();

        Assert.Equal("mine", await EchoAsync(server.Endpoint, "mine", client));

        TlsInfo info = (await server.Sink.WaitForAsync<ClientTlsNegotiated>()).Single().Tls;
        Assert.Equal("CN=nsock forward test client", info.Subject);
        Assert.Equal("CN=nsock forward client CA", info.Issuer);
        Assert.Equal(string.Join(":", SHA256.HashData(client.RawData).Select(b => b.ToString("X2"))), info.Sha256Fingerprint);
        Assert.Equal("sha256:" + Convert.ToBase64String(SHA256.HashData(client.PublicKey.ExportSubjectPublicKeyInfo())), info.PublicKeyPin);
        Assert.Equal(new DateTimeOffset(client.NotAfter.ToUniversalTime()), info.NotAfter);
        Assert.True(info.Verified);
    }

    [Fact]
    public async Task A_client_that_fails_the_handshake_is_rejected_as_before_and_has_no_tls_event()
    {
        await using RunningListener server = await RunningListener.StartAsync(Plan(new ListenRequest { Endpoint = "127.0.0.1:0", Echo = true, TlsSelfSigned = true }));
        using (Socket plain = await Loopback.ConnectAsync(server.Endpoint))
        {
            await plain.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.0\r\n\r\n"), SocketFlags.None);
            ClientRejected rejected = (await server.Sink.WaitForAsync<ClientRejected>()).Single();
            Assert.Contains("TLS handshake failed", rejected.Reason);
        }
        Assert.Equal("after", await EchoAsync(server.Endpoint, "after"));
        await server.Sink.WaitForAsync<ClientClosed>();
        Assert.Single(server.Sink.Of<ClientTlsNegotiated>());
        Assert.Single(server.Sink.Of<ClientConnected>());
    }

    [Fact]
    public async Task A_forward_speaks_tls_to_an_openssl_target_verified_by_its_ca_and_passes_the_half_close()
    {
        using OpenSslReverser target = await OpenSslReverser.StartAsync(_dir);
        await using RunningListener forward = await RunningListener.StartAsync(Plan(new ListenRequest
            { Endpoint = "127.0.0.1:0", ForwardTo = $"tls://127.0.0.1:{target.Port}", TargetCaFile = target.CertificatePath }));

        using Socket client = await Loopback.ConnectAsync(forward.Endpoint);
        await client.SendAsync(Encoding.ASCII.GetBytes("hello\nworld\n"), SocketFlags.None);
        client.Shutdown(SocketShutdown.Send); // the target answers what it read once it sees the end (close_notify, FIN)
        string back = Encoding.ASCII.GetString(await ReadToEndAsync(client));
        Assert.True(back == "olleh\ndlrow\n", $"got '{back}'; events: {string.Join(", ", forward.Sink.Of<NsockEvent>())}");

        ClientForwarded forwarded = (await forward.Sink.WaitForAsync<ClientForwarded>()).Single();
        Assert.NotNull(forwarded.Tls);
        Assert.True(forwarded.Tls!.Verified);
        Assert.Equal(target.Sha256Fingerprint, forwarded.Tls.Sha256Fingerprint);
        Assert.Equal("127.0.0.1", forwarded.Tls.ServerName);
        ClientClosed closed = (await forward.Sink.WaitForAsync<ClientClosed>()).Single();
        Assert.Null(closed.Error);
        Assert.Equal(12, closed.BytesReceived);
        Assert.Equal(12, closed.BytesSent);
    }

    [Fact]
    public async Task A_target_whose_certificate_does_not_verify_resets_the_client_and_the_closed_event_says_why()
    {
        using OpenSslReverser target = await OpenSslReverser.StartAsync(_dir);
        await using RunningListener forward = await RunningListener.StartAsync(Plan(new ListenRequest
            { Endpoint = "127.0.0.1:0", ForwardTo = $"tls://127.0.0.1:{target.Port}" }));

        for (int i = 1; i <= 2; i++)
        {
            // The reset can come so soon (the handshake with the target fails in a millisecond) that the connect itself
            // reports it: any of connect, send and read may meet it.
            Socket? client = null;
            var got = new MemoryStream();
            Exception? reset = await Record.ExceptionAsync(async () =>
            {
                client = await Loopback.ConnectAsync(forward.Endpoint);
                await client.SendAsync(Encoding.ASCII.GetBytes("never reaches it\n"), SocketFlags.None);
                got = new MemoryStream(await ReadToEndAsync(client));
            });
            client?.Dispose();
            Assert.True(reset is not null || got.Length == 0, "the client must not be served");
            ClientClosed closed = (await forward.Sink.WaitForAsync<ClientClosed>(i))[i - 1];
            Assert.Contains($"target tls://127.0.0.1:{target.Port}: TLS handshake with 127.0.0.1 failed: certificate verification failed", closed.Error);
            Assert.Contains("unknown CA", closed.Error);
        }
        Assert.Empty(forward.Sink.Of<ClientForwarded>());
        Assert.False(forward.Run.IsCompleted); // the listener lives
    }

    [Fact]
    public async Task A_tls_terminator_in_front_of_a_pinned_tls_target_reports_both_handshakes()
    {
        using OpenSslReverser target = await OpenSslReverser.StartAsync(_dir);
        await using RunningListener forward = await RunningListener.StartAsync(Plan(new ListenRequest
            { Endpoint = "127.0.0.1:0", TlsSelfSigned = true, ForwardTo = $"tls://127.0.0.1:{target.Port}", TargetPin = target.KeyPin }));

        Assert.Equal("esrever\n", await EchoAsync(forward.Endpoint, "reverse\n", sni: "localhost"));

        ClientForwarded forwarded = (await forward.Sink.WaitForAsync<ClientForwarded>()).Single();
        Assert.True(forwarded.Tls!.Pinned);
        Assert.Equal(target.KeyPin, forwarded.Tls.PublicKeyPin);
        Assert.Equal("localhost", (await forward.Sink.WaitForAsync<ClientTlsNegotiated>()).Single().Tls.ServerName);
        Assert.Null((await forward.Sink.WaitForAsync<ClientClosed>()).Single().Error);
    }

    [Theory]
    [InlineData("insecure-plain", "insecure applies to a TLS target: give forward-to as tls://host:port")]
    [InlineData("cert-not-forward", "target-certificate applies to a TLS target")]
    [InlineData("udp", "a TLS target takes a stream listener (tcp or unix), not UDP")]
    [InlineData("insecure-ca", "insecure skips verification and ca-file says how to verify")]
    [InlineData("key-alone", "target-key is the key of target-certificate")]
    [InlineData("pin-bad", "pin")]
    public void Target_tls_options_that_do_not_fit_are_bad_input_naming_them(string what, string message)
    {
        ListenRequest r = what switch
        {
            "insecure-plain" => new ListenRequest { Endpoint = "127.0.0.1:0", ForwardTo = "127.0.0.1:1", TargetInsecure = true },
            "cert-not-forward" => new ListenRequest { Endpoint = "127.0.0.1:0", Echo = true, TargetCertificatePath = "x.pem" },
            "udp" => new ListenRequest { Endpoint = "127.0.0.1:0", Udp = true, ForwardTo = "tls://127.0.0.1:1" },
            "insecure-ca" => new ListenRequest { Endpoint = "127.0.0.1:0", ForwardTo = "tls://127.0.0.1:1", TargetInsecure = true, TargetCaFile = Path.Combine(_dir, "client-ca.pem") },
            "key-alone" => new ListenRequest { Endpoint = "127.0.0.1:0", ForwardTo = "tls://127.0.0.1:1", TargetKeyPath = "x.key" },
            _ => new ListenRequest { Endpoint = "127.0.0.1:0", ForwardTo = "tls://127.0.0.1:1", TargetPin = "md5:nope" },
        };

        NsockException e = Assert.Throws<NsockException>(() => r.Validate(PlainOptionNames.Instance));

        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains(message, e.Message);
    }

    private X509Certificate2 ClientCertificate()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=nsock forward test client", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.2") }, false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 signed = request.Create(_ca, now.AddHours(-1), now.AddDays(1), new byte[] { 5, 6, 7, 8 });
        using X509Certificate2 withKey = signed.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    // Sends over TLS, says close_notify and FIN, reads to the end: what came back.
    private static async Task<string> EchoAsync(Endpoint endpoint, string text, X509Certificate2? clientCert = null, string sni = "localhost")
    {
        using Socket socket = await Loopback.ConnectAsync(endpoint);
        using var ssl = new SslStream(new NetworkStream(socket), false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = sni,
            ClientCertificates = clientCert is null ? null : new X509CertificateCollection { clientCert },
        }).WaitAsync(Limits.Wait);
        await ssl.WriteAsync(Encoding.ASCII.GetBytes(text));
        await ssl.ShutdownAsync();
        socket.Shutdown(SocketShutdown.Send);
        return Encoding.ASCII.GetString(await ReadToEndAsync(ssl));
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        var all = new MemoryStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(Limits.Wait)) > 0) all.Write(buffer, 0, n);
        return all.ToArray();
    }

    private static async Task<byte[]> ReadToEndAsync(Stream s)
    {
        var all = new MemoryStream();
        await s.CopyToAsync(all).WaitAsync(Limits.Wait);
        return all.ToArray();
    }

    /// <summary><c>openssl s_server -rev</c> on 127.0.0.1 (port 0): each line reversed; a certificate for localhost and 127.0.0.1 made for the run.</summary>
    private sealed class OpenSslReverser : IDisposable
    {
        private readonly ExternalProcess _server;

        private OpenSslReverser(ExternalProcess server, int port, string cert)
        {
            _server = server;
            Port = port;
            CertificatePath = cert;
            using X509Certificate2 c = X509Certificate2.CreateFromPem(File.ReadAllText(cert));
            Sha256Fingerprint = string.Join(":", SHA256.HashData(c.RawData).Select(b => b.ToString("X2")));
            KeyPin = "sha256:" + Convert.ToBase64String(SHA256.HashData(c.PublicKey.ExportSubjectPublicKeyInfo()));
        }

        public int Port { get; }
        public string CertificatePath { get; }
        public string Sha256Fingerprint { get; }
        public string KeyPin { get; }

        public static async Task<OpenSslReverser> StartAsync(string dir)
        {
            string name = Guid.NewGuid().ToString("N").Substring(0, 8);
            string cert = Path.Combine(dir, name + ".pem"), key = Path.Combine(dir, name + ".key");
            (int code, string output) = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(30), Tools.OpenSsl,
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
            Assert.True(code == 0, output);
            ExternalProcess server = ExternalProcess.Start(Tools.OpenSsl, "s_server", "-accept", "127.0.0.1:0", "-rev", "-cert", cert, "-key", key);
            string? line = await server.WaitForLineAsync(l => l.StartsWith("ACCEPT", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
            if (line is null)
            {
                string failure = server.Output;
                server.Dispose();
                throw new InvalidOperationException("s_server did not start: " + failure);
            }
            return new OpenSslReverser(server, int.Parse(Regex.Match(line, @":(\d+)\s*$").Groups[1].Value), cert);
        }

        public void Dispose() => _server.Dispose();
    }
}
