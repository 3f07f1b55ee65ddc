using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// The engine never fetches an issuer a server left out of its chain from the certificate's AIA URL (as openssl and
/// curl do not, and as the Linux AOT binary cannot): the same answer on every face. The URL is a loopback HTTP server
/// of the test that serves the intermediate and counts requests, so a fetch would be seen and would make the chain verify.
/// </summary>
public sealed class TlsNoDownloadTests
{
    [Fact]
    public async Task A_missing_intermediate_is_an_unknown_issuer_and_its_url_is_never_fetched()
    {
        using var http = new TcpListener(IPAddress.Loopback, 0);
        http.Start();
        int httpPort = ((IPEndPoint)http.LocalEndpoint).Port;
        DateTimeOffset now = DateTimeOffset.UtcNow;

        using ECDsa rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 root = CaRequest("CN=nsock no-download root", rootKey).CreateSelfSigned(now.AddDays(-1), now.AddDays(2));
        using ECDsa intKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest intRequest = CaRequest("CN=nsock no-download intermediate", intKey);
        intRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using X509Certificate2 intPublic = intRequest.Create(root, now.AddDays(-1), now.AddDays(2), new byte[] { 1, 2, 3, 4 });
        using X509Certificate2 intermediate = intPublic.CopyWithPrivateKey(intKey);

        using ECDsa leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=localhost", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(intermediate, true, false));
        leafRequest.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(null, new[] { $"http://127.0.0.1:{httpPort}/int.der" }));
        using X509Certificate2 leafPublic = leafRequest.Create(intermediate, now.AddDays(-1), now.AddDays(1), new byte[] { 5, 6, 7, 8 });
        using X509Certificate2 leaf = leafPublic.CopyWithPrivateKey(leafKey);

        var requests = new ConcurrentQueue<string>();
        Task serving = ServeAsync(http, intermediate.RawData, requests);

        (Socket client, Socket served) = await Loopback.SocketPairAsync();
        using (client)
        using (served)
        {
            // The server sends its leaf only; offline: its own chain building fetches nothing either.
            var server = new SslStream(new NetworkStream(served, ownsSocket: false));
            Task handshake = server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = SslStreamCertificateContext.Create(leaf, additionalCertificates: null, offline: true),
            });

            var e = await Assert.ThrowsAsync<NsockException>(() => TlsConnector.AuthenticateAsync(new NetworkStream(client, ownsSocket: false), "localhost", null, insecure: false,
                TimeSpan.FromSeconds(10), PlainOptionNames.Instance, default, trust: new X509Certificate2Collection(root), offerHttp11: false).WaitAsync(Limits.Wait));

            Assert.Equal(NsockErrorKind.Tls, e.Kind);
            Assert.Empty(requests);
            client.Dispose();
            try
            {
                await handshake.WaitAsync(Limits.Wait); // TLS 1.3: the server may be done before the client refuses
            }
            catch (Exception x) when (x is IOException or AuthenticationException)
            {
            }
            server.Dispose();
        }
        http.Stop();
        await serving.WaitAsync(Limits.Wait);
    }

    private static CertificateRequest CaRequest(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    // HTTP/1.0: one request per connection, its first line counted, the intermediate's DER as the answer.
    private static async Task ServeAsync(TcpListener http, byte[] body, ConcurrentQueue<string> requests)
    {
        while (true)
        {
            TcpClient c;
            try
            {
                c = await http.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return; // stopped
            }
            using (c)
            {
                var reader = new StreamReader(c.GetStream(), Encoding.ASCII);
                requests.Enqueue(await reader.ReadLineAsync() ?? "");
                byte[] head = Encoding.ASCII.GetBytes($"HTTP/1.0 200 OK\r\nContent-Type: application/pkix-cert\r\nContent-Length: {body.Length}\r\n\r\n");
                await c.GetStream().WriteAsync(head);
                await c.GetStream().WriteAsync(body);
            }
        }
    }
}
