using System;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// The client side's TLS looks in the engine, against the engine's own TLS listener (listen --tls-self-signed) and a
/// plain one on loopback: probe --tls (speaks TLS, subject, days left, the expiry limit), ping --tcp --tls with a pin
/// (the handshake timed apart from the connect) and the pin and ALPN rules. The command's tests use openssl peers.
/// </summary>
public sealed class TlsClientEngineTests
{
    private static ListenerOptions SelfSignedEcho() =>
        new ListenRequest { Endpoint = "127.0.0.1:0", Echo = true, KeepOpen = true, TlsSelfSigned = true }.Validate(PlainOptionNames.Instance).Options;

    [Fact]
    public async Task Probe_tls_reads_the_certificate_of_a_tls_port_and_calls_a_plain_port_not_tls()
    {
        await using RunningListener tls = await RunningListener.StartAsync(SelfSignedEcho());
        await using RunningListener plain = await RunningListener.StartAsync(RunningListener.Echo());
        var request = new ProbeRequest
        {
            Groups = new[] { new PortProbeGroup(new[] { "127.0.0.1" }, new[] { tls.Port, plain.Port }) },
            Timeout = 5,
            Tls = true,
            ExpiresWithinDays = 30,
        };

        var sink = new TestEventSink();
        ProbeOutcome outcome = await request.Validate(PlainOptionNames.Instance).RunAsync(sink, default).WaitAsync(Limits.Wait);

        Assert.Equal(new[] { tls.Port, plain.Port }, outcome.Results.Select(r => r.Port));
        TlsCheck look = outcome.Results[0].Tls!;
        Assert.True(look.SpeaksTls, look.Problem);
        Assert.Equal("CN=nsock self-signed", look.Subject);
        Assert.InRange(look.DaysLeft!.Value, 6, 7); // the self-signed certificate lasts 7 days
        Assert.False(look.Verified); // not in the system store
        Assert.Equal(tls.Listener.Ready.TlsKeyPin, look.Details!.PublicKeyPin);
        Assert.False(outcome.Results[1].Tls!.SpeaksTls);
        Assert.Equal(1, outcome.ExpiringSoon); // 7 days is within 30
        Assert.Equal(outcome.Results, sink.Of<PortProbeResult>()); // reported in order, with the looks
    }

    [Fact]
    public async Task Ping_tcp_tls_with_the_listeners_pin_times_the_handshake_apart_from_the_connect()
    {
        await using RunningListener tls = await RunningListener.StartAsync(SelfSignedEcho());
        var request = new PingRequest
        {
            Target = new ConnectTarget { Endpoint = $"127.0.0.1:{tls.Port}", Tls = true, Pin = tls.Listener.Ready.TlsKeyPin, Timeout = 5 },
            Tcp = true,
            Count = 2,
            Interval = 0,
        };

        var sink = new TestEventSink();
        PingOutcome outcome = await request.Validate(PlainOptionNames.Instance).RunAsync(sink, default).WaitAsync(Limits.Wait);

        Assert.Null(outcome.Error);
        Assert.Equal(2, sink.Of<PingReply>().Count);
        Assert.All(sink.Of<PingReply>(), r => Assert.True(r.TlsMs > 0));
        TlsNegotiated negotiated = Assert.Single(sink.Of<TlsNegotiated>());
        Assert.True(negotiated.Tls.Pinned);
    }

    [Fact]
    public async Task Ping_tcp_tls_with_a_wrong_pin_loses_every_probe_naming_the_mismatch()
    {
        await using RunningListener tls = await RunningListener.StartAsync(SelfSignedEcho());
        var request = new PingRequest
        {
            Target = new ConnectTarget { Endpoint = $"tls://127.0.0.1:{tls.Port}", Pin = "sha256:" + Convert.ToBase64String(new byte[32]), Timeout = 5 },
            Tcp = true,
            Count = 1,
        };

        var sink = new TestEventSink();
        PingOutcome outcome = await request.Validate(PlainOptionNames.Instance).RunAsync(sink, default).WaitAsync(Limits.Wait);

        Assert.NotNull(outcome.Error);
        Assert.Contains("public key pin mismatch", Assert.Single(sink.Of<PingLost>()).Reason);
    }

    [Theory]
    [InlineData("sha256:AAAA", null, "a SHA-256 is 32 bytes")]
    [InlineData("AAAA", null, "is not sha256:BASE64")]
    [InlineData(null, " , ", "alpn is empty")]
    public void Pins_and_protocols_that_do_not_fit_are_bad_input(string? pin, string? alpn, string message)
    {
        var request = new SendRequest { Target = new ConnectTarget { Endpoint = "tls://127.0.0.1:1", Pin = pin, Alpn = alpn } };

        NsockException e = Assert.Throws<NsockException>(() => request.Validate(PlainOptionNames.Instance));

        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains(message, e.Message);
    }
}
