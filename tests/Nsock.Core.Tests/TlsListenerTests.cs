using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// listen --tls in the engine, with .NET's SslStream as the client (the command's tests use openssl s_client and
/// python3's ssl): a self-signed certificate and its pin, echo and broker through the TLS bridge, a client that never
/// handshakes, mutual TLS refused and accepted, and the options refused where they do not fit.
/// </summary>
public sealed class TlsListenerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nsock-tls-listen-").FullName;
    private readonly X509Certificate2 _ca;
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TlsListenerTests()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var caRequest = new CertificateRequest("CN=nsock client CA", _caKey, HashAlgorithmName.SHA256);
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
    public async Task A_self_signed_listener_echoes_over_tls_and_its_ready_event_names_the_key_it_presents()
    {
        await using RunningListener server = await RunningListener.StartAsync(Plan(new ListenRequest { Endpoint = "127.0.0.1:0", Echo = true, TlsSelfSigned = true }));
        X509Certificate2? seen = null;

        using Socket socket = await Loopback.ConnectAsync(server.Endpoint);
        using var ssl = new SslStream(new NetworkStream(socket), false, (_, cert, _, _) => { seen = new X509Certificate2(cert!); return true; });
        await ssl.AuthenticateAsClientAsync("localhost").WaitAsync(Limits.Wait);
        await ssl.WriteAsync(Encoding.ASCII.GetBytes("hello over tls"));
        await ssl.ShutdownAsync();
        socket.Shutdown(SocketShutdown.Send);
        string back = Encoding.ASCII.GetString(await ReadToEndAsync(ssl));

        Assert.Equal("hello over tls", back);
        ListenerReady ready = server.Listener.Ready;
        Assert.Equal("sha256:" + Convert.ToBase64String(SHA256.HashData(seen!.PublicKey.ExportSubjectPublicKeyInfo())), ready.TlsKeyPin);
        Assert.Equal(string.Join(":", SHA256.HashData(seen.RawData).Select(b => b.ToString("X2"))), ready.TlsCertificateSha256);
        string san = seen.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().Format(false);
        Assert.Contains("localhost", san);
        Assert.Contains("127.0.0.1", san);
        Assert.Equal(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(5), seen.NotAfter - seen.NotBefore);
        Assert.NotNull(seen.GetECDsaPublicKey());
        ClientClosed closed = (await server.Sink.WaitForAsync<ClientClosed>()).Single();
        Assert.Null(closed.Error);
        Assert.Equal(14, closed.BytesReceived);
    }

    [Fact]
    public async Task A_client_that_never_handshakes_holds_up_nobody_and_is_rejected_when_its_time_is_up()
    {
        await using RunningListener server = await RunningListener.StartAsync(Plan(new ListenRequest { Endpoint = "127.0.0.1:0", Echo = true, TlsSelfSigned = true, TlsHandshakeTimeout = 2 }));
        using Socket silent = await Loopback.ConnectAsync(server.Endpoint);

        // Served while the silent one is still in its handshake.
        Assert.Equal("second", await EchoAsync(server.Endpoint, "second"));
        Assert.Empty(server.Sink.Of<ClientRejected>());

        ClientRejected rejected = (await server.Sink.WaitForAsync<ClientRejected>()).Single();
        Assert.Contains("TLS handshake timed out after 2s", rejected.Reason);
        Assert.Equal(0, await silent.ReceiveAsync(new byte[1], SocketFlags.None).WaitAsync(Limits.Wait));
        Assert.Equal("third", await EchoAsync(server.Endpoint, "third"));
        Assert.Single(server.Sink.Of<ClientRejected>());
    }

    [Fact]
    public async Task Mutual_tls_refuses_a_client_without_a_certificate_and_serves_one_from_the_client_ca()
    {
        await using RunningListener server = await RunningListener.StartAsync(Plan(new ListenRequest
            { Endpoint = "127.0.0.1:0", Echo = true, TlsSelfSigned = true, ClientCaPath = Path.Combine(_dir, "client-ca.pem") }));

        // Refused after the handshake (TLS 1.3 checks the client's certificate last): the client then reads an end of
        // stream or a reset, whichever the close meets (a reset when its bytes were already there), never the echo.
        string? anonymous = null;
        try { anonymous = await EchoAsync(server.Endpoint, "anonymous"); } catch (Exception) { /* refused: what it is depends on the timing */ }
        Assert.NotEqual("anonymous", anonymous);
        ClientRejected rejected = (await server.Sink.WaitForAsync<ClientRejected>()).Single();
        Assert.Contains("client certificate refused: the client sent no certificate", rejected.Reason);

        using X509Certificate2 client = ClientCertificate();
        Assert.Equal("with a certificate", await EchoAsync(server.Endpoint, "with a certificate", client));
        Assert.Single(server.Sink.Of<ClientRejected>());
        Assert.Single(server.Sink.Of<ClientConnected>());
    }

    [Fact]
    public async Task A_broker_over_tls_passes_one_clients_line_to_the_other()
    {
        await using RunningListener server = await RunningListener.StartAsync(Plan(new ListenRequest { Endpoint = "127.0.0.1:0", Broker = true, TlsSelfSigned = true }));
        (Socket sa, SslStream a) = await TlsConnectAsync(server.Endpoint);
        (Socket sb, SslStream b) = await TlsConnectAsync(server.Endpoint);
        using (sa)
        using (sb)
        using (a)
        using (b)
        {
            await server.Sink.WaitForAsync<ClientConnected>(2);
            await a.WriteAsync(Encoding.ASCII.GetBytes("from-a\n"));
            byte[] got = new byte[7];
            await b.ReadExactlyAsync(got).AsTask().WaitAsync(Limits.Wait);
            Assert.Equal("from-a\n", Encoding.ASCII.GetString(got));
        }
    }

    [Fact]
    public async Task The_one_client_relay_refuses_a_client_that_does_not_speak_tls_and_relays_the_next_that_does()
    {
        var output = new MemoryStream();
        await using RunningListener server = await RunningListener.StartAsync(Plan(new ListenRequest { Endpoint = "127.0.0.1:0", TlsSelfSigned = true }),
            new MemoryStream(Encoding.ASCII.GetBytes("from the listener\n")), Stream.Synchronized(output));
        using (Socket plain = await Loopback.ConnectAsync(server.Endpoint))
        {
            await plain.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.0\r\n\r\n"), SocketFlags.None);
            ClientRejected rejected = (await server.Sink.WaitForAsync<ClientRejected>()).Single();
            Assert.Contains("TLS handshake failed", rejected.Reason);
        }

        (Socket socket, SslStream ssl) = await TlsConnectAsync(server.Endpoint);
        using (socket)
        using (ssl)
        {
            await ssl.WriteAsync(Encoding.ASCII.GetBytes("from the client\n"));
            await ssl.ShutdownAsync();
            socket.Shutdown(SocketShutdown.Send);
            Assert.Equal("from the listener\n", Encoding.ASCII.GetString(await ReadToEndAsync(ssl)));
        }

        ListenerResult result = await server.FinishedAsync();
        Assert.Equal("from the client\n", Encoding.ASCII.GetString(output.ToArray()));
        Assert.Equal(1, result.Rejected);
    }

    [Fact]
    public async Task A_quiet_tls_client_is_closed_by_the_idle_timeout_with_a_close_notify()
    {
        await using RunningListener server = await RunningListener.StartAsync(Plan(new ListenRequest { Endpoint = "127.0.0.1:0", Echo = true, TlsSelfSigned = true, ClientIdleTimeout = 0.5 }));
        (Socket socket, SslStream ssl) = await TlsConnectAsync(server.Endpoint);
        using (socket)
        using (ssl)
        {
            // The mode closes its end; the bridge turns that into close_notify and FIN: a clean end of stream here.
            Assert.Equal(0, await ssl.ReadAsync(new byte[16]).AsTask().WaitAsync(Limits.Wait));
        }
        ClientClosed closed = (await server.Sink.WaitForAsync<ClientClosed>()).Single();
        Assert.Contains("idle for 0.5s", closed.Error);
    }

    [Fact]
    public async Task A_forward_over_tls_reaches_a_plain_target_both_ways()
    {
        await using RunningListener target = await RunningListener.StartAsync(RunningListener.Echo());
        await using RunningListener server = await RunningListener.StartAsync(Plan(new ListenRequest
            { Endpoint = "127.0.0.1:0", ForwardTo = $"127.0.0.1:{target.Port}", TlsSelfSigned = true }));

        Assert.Equal("through the forward", await EchoAsync(server.Endpoint, "through the forward"));
        ClientClosed closed = (await server.Sink.WaitForAsync<ClientClosed>()).Single();
        Assert.Null(closed.Error);
        Assert.Equal(19, closed.BytesReceived);
    }

    [Theory]
    [InlineData("cert-no-tls", "tls-certificate applies to TLS: give tls")]
    [InlineData("no-cert", "tls on a listener needs a certificate")]
    [InlineData("udp", "TLS runs over TCP")]
    [InlineData("both", "tls-self-signed makes a certificate and tls-certificate gives one")]
    [InlineData("missing-key", "cannot read tls-key")]
    public void Options_that_do_not_fit_are_bad_input_naming_them(string what, string message)
    {
        string cert = Path.Combine(_dir, "client-ca.pem");
        ListenRequest r = what switch
        {
            "cert-no-tls" => new ListenRequest { Endpoint = "127.0.0.1:0", CertificatePath = cert },
            "no-cert" => new ListenRequest { Endpoint = "127.0.0.1:0", Tls = true },
            "udp" => new ListenRequest { Endpoint = "127.0.0.1:0", Udp = true, TlsSelfSigned = true },
            "both" => new ListenRequest { Endpoint = "127.0.0.1:0", TlsSelfSigned = true, CertificatePath = cert },
            _ => new ListenRequest { Endpoint = "127.0.0.1:0", Tls = true, CertificatePath = cert, KeyPath = Path.Combine(_dir, "nope.key") },
        };

        NsockException e = Assert.Throws<NsockException>(() => r.Validate(PlainOptionNames.Instance));

        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains(message, e.Message);
    }

    private X509Certificate2 ClientCertificate()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=nsock test client", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.2") }, false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 signed = request.Create(_ca, now.AddHours(-1), now.AddDays(1), new byte[] { 1, 2, 3, 4 });
        using X509Certificate2 withKey = signed.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private static async Task<(Socket, SslStream)> TlsConnectAsync(Endpoint endpoint, X509Certificate2? clientCert = null)
    {
        Socket socket = await Loopback.ConnectAsync(endpoint);
        var ssl = new SslStream(new NetworkStream(socket), false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificates = clientCert is null ? null : new X509CertificateCollection { clientCert },
        }).WaitAsync(Limits.Wait);
        return (socket, ssl);
    }

    // Sends, says close_notify and FIN, reads to the end: what came back.
    private static async Task<string> EchoAsync(Endpoint endpoint, string text, X509Certificate2? clientCert = null)
    {
        (Socket socket, SslStream ssl) = await TlsConnectAsync(endpoint, clientCert);
        using (socket)
        using (ssl)
        {
            await ssl.WriteAsync(Encoding.ASCII.GetBytes(text));
            await ssl.ShutdownAsync();
            socket.Shutdown(SocketShutdown.Send);
            return Encoding.ASCII.GetString(await ReadToEndAsync(ssl));
        }
    }

    private static async Task<byte[]> ReadToEndAsync(Stream s)
    {
        var all = new MemoryStream();
        await s.CopyToAsync(all).WaitAsync(Limits.Wait);
        return all.ToArray();
    }
}
