using System;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>HTTPS against Debian's <c>openssl s_server -www</c> with a self-signed certificate for CN=localhost made for the run.</summary>
public sealed class HttpTlsTests : IClassFixture<OpenSslServerFixture>
{
    private readonly OpenSslServerFixture _server;

    public HttpTlsTests(OpenSslServerFixture server) => _server = server;

    private HttpRequestOptions Get(string? sni = "localhost", bool insecure = false) =>
        new() { Url = _server.Url(), Sni = sni, Insecure = insecure, Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task Self_signed_certificate_fails_verification_by_default_naming_the_reason()
    {
        NsockException e = await HttpTest.FailsAsync(Get());

        Assert.Equal(NsockErrorKind.Tls, e.Kind);
        Assert.Contains("TLS handshake with localhost failed: certificate verification failed", e.Message);
        Assert.True(e.Message.Contains("UntrustedRoot", StringComparison.Ordinal) || e.Message.Contains("self-signed", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("self signed", StringComparison.OrdinalIgnoreCase), e.Message);
        // The flag that skips verification, as the caller spells it (the faces pass theirs: --insecure, -SkipCertificateCheck).
        Assert.Contains($"use {PlainOptionNames.Instance.Option(NsockOption.Insecure)} to skip verification", e.Message);
    }

    [Fact]
    public async Task Certificate_for_another_name_fails_verification_naming_the_mismatch()
    {
        // No SNI for an address; the certificate is for localhost, not 127.0.0.1.
        NsockException e = await HttpTest.FailsAsync(Get(sni: null));

        Assert.Equal(NsockErrorKind.Tls, e.Kind);
        Assert.Contains("the certificate is not for '127.0.0.1'", e.Message);
    }

    [Fact]
    public async Task Insecure_exchange_succeeds_and_reports_the_unverified_certificate()
    {
        var events = new HttpEventRecorder();

        HttpResponse r = await HttpTest.SendAsync(Get(insecure: true), events: events);

        Assert.Equal(200, r.Status);
        Assert.Equal(HttpFraming.Close, r.Framing);
        Assert.Contains("s_server", HttpTest.Text(r.Body));
        TlsInfo tls = Assert.IsType<TlsInfo>(r.Tls);
        Assert.Equal("CN=localhost", tls.Subject);
        Assert.Equal("CN=localhost", tls.Issuer);
        Assert.False(tls.Verified);
        Assert.Equal("localhost", tls.ServerName);
        Assert.Equal(_server.Sha256Fingerprint, tls.Sha256Fingerprint);
        Assert.Matches("^([0-9A-F]{2}:){31}[0-9A-F]{2}$", tls.Sha256Fingerprint);
        Assert.True(tls.NotAfter > DateTimeOffset.UtcNow, $"NotAfter {tls.NotAfter}");
        Assert.True(tls.NotBefore <= DateTimeOffset.UtcNow.AddMinutes(1), $"NotBefore {tls.NotBefore}");
        Assert.StartsWith("Tls1", tls.Protocol);
        Assert.False(string.IsNullOrEmpty(tls.CipherSuite));
        Assert.True(r.Timings.ConnectedMs <= r.Timings.TlsDoneMs && r.Timings.TlsDoneMs <= r.Timings.RequestSentMs,
            $"connected {r.Timings.ConnectedMs}, TLS {r.Timings.TlsDoneMs}, sent {r.Timings.RequestSentMs}");
        // The request went inside TLS as built: a plain GET with the URL's authority.
        Assert.StartsWith($"GET / HTTP/1.1\r\nHost: 127.0.0.1:{_server.Port}\r\n", HttpTest.Text(Assert.Single(events.Of<HttpRequestSent>()).Request));
    }

    [Fact]
    public async Task Server_name_sent_is_the_one_asked_for()
    {
        // s_server runs with -servername localhost -servername_fatal: it aborts a handshake naming anything else,
        // and accepts one that names nothing (an address URL without --sni).
        HttpResponse none = await HttpTest.SendAsync(Get(sni: null, insecure: true));
        NsockException other = await HttpTest.FailsAsync(Get(sni: "other.invalid", insecure: true));
        HttpResponse localhost = await HttpTest.SendAsync(Get(sni: "localhost", insecure: true));

        Assert.Equal(200, none.Status);
        Assert.Equal("127.0.0.1", none.Tls!.ServerName);
        Assert.Equal(NsockErrorKind.Tls, other.Kind);
        Assert.Contains("TLS handshake with other.invalid failed", other.Message);
        Assert.Equal(200, localhost.Status);
        Assert.Equal("localhost", localhost.Tls!.ServerName);
    }
}
