using System;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

// https through a proxy: the TLS handshake runs inside the tunnel, with the server (its name sent as SNI, its
// certificate checked), against openssl s_server -www, which aborts a handshake whose SNI is not localhost.
public sealed class ProxyTlsTests : IClassFixture<OpenSslServerFixture>
{
    private readonly OpenSslServerFixture _server;

    public ProxyTlsTests(OpenSslServerFixture server) => _server = server;

    [Theory]
    [InlineData("socks5")]
    [InlineData("http")]
    public async Task Https_through_the_proxy_does_tls_with_the_server_inside_the_tunnel(string kind)
    {
        using TestProxy proxy = await TestProxy.StartAsync(kind);
        HttpPlan plan = new HttpRequest { Url = $"https://localhost:{_server.Port}/", Proxy = proxy.Url(), Insecure = true, Timeout = 10 }.Validate(PlainOptionNames.Instance);

        HttpOutcome outcome = await plan.RunAsync(null, null, new RecordingSink(), CancellationToken.None).WaitAsync(Limits.Wait);

        Assert.Equal(200, outcome.Response.Status);
        Assert.Equal("CN=localhost", outcome.Response.Tls!.Subject);
        Assert.Equal(_server.Sha256Fingerprint, outcome.Response.Tls.Sha256Fingerprint);
        Assert.Equal(proxy.Url(), outcome.Response.Via);
        Assert.Equal($"REQUEST domain localhost {_server.Port}", await proxy.NextLineAsync("REQUEST"));
    }

    [Fact]
    public async Task Certificate_verification_through_the_proxy_is_against_the_server_s_name()
    {
        using TestProxy proxy = await TestProxy.StartAsync("socks5");
        HttpPlan plan = new HttpRequest { Url = $"https://localhost:{_server.Port}/", Proxy = proxy.Url(), Timeout = 10 }.Validate(PlainOptionNames.Instance);

        var e = await Assert.ThrowsAsync<NsockException>(() => plan.RunAsync(null, null, new RecordingSink(), CancellationToken.None)).WaitAsync(Limits.Wait);

        Assert.Equal(NsockErrorKind.Tls, e.Kind); // the self-signed certificate of localhost, not anything of the proxy's
        Assert.Contains("TLS handshake with localhost failed", e.Message);
    }
}
