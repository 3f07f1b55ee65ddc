using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// The whole-exchange deadline (<c>--max-time</c>, <c>-MaximumTime</c>): a server that drips a byte at a time never
/// trips the per-wait timeout, so only an overall bound ends it.
/// </summary>
public sealed class HttpMaxTimeTests
{
    // Sends its response (the head or the body) one byte every 100 ms, for at most 20 s.
    private static ScriptedHttpServer Dripping(string response) => new(async c =>
    {
        var clock = Stopwatch.StartNew();
        foreach (char ch in response)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(20)) return;
            await c.WriteAsync(ch.ToString());
            await Task.Delay(100, c.Stopping);
        }
    });

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 200\r\n\r\n" + "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789")]
    [InlineData("HTTP/1.1 200 OK\r\nX-Slow-Header-Line-That-Goes-On: and on and on and on and on and on and on and on and on\r\n\r\n")]
    public async Task Max_time_ends_an_exchange_whose_server_drips_bytes_as_timed_out_naming_the_option(string response)
    {
        await using ScriptedHttpServer server = Dripping(response);
        var request = new HttpRequest { Url = server.Url("/").ToString(), Timeout = 5, MaxTime = 1 };
        HttpPlan plan = request.Validate(PlainOptionNames.Instance);
        var clock = Stopwatch.StartNew();

        NsockException e = await Assert.ThrowsAsync<NsockException>(() => plan.RunAsync(null, null, new TestEventSink(), default).WaitAsync(TimeSpan.FromSeconds(15)));

        Assert.Equal(NsockErrorKind.TimedOut, e.Kind);
        Assert.Contains(PlainOptionNames.Instance.Option(NsockOption.MaxTime), e.Message);
        Assert.Contains("1s", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Max_time_does_not_cut_an_exchange_that_completes_in_time()
    {
        await using ScriptedHttpServer server = ScriptedHttpServer.Answering("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        var request = new HttpRequest { Url = server.Url("/").ToString(), Timeout = 5, MaxTime = 5 };

        HttpOutcome outcome = await request.Validate(PlainOptionNames.Instance).RunAsync(null, null, new TestEventSink(), default).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(200, outcome.Response.Status);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(1e18)]
    public void Max_time_out_of_range_is_bad_input_naming_the_option(double value)
    {
        NsockException e = Assert.Throws<NsockException>(() => new HttpRequest { Url = "http://127.0.0.1:1/", MaxTime = value }.Validate(PlainOptionNames.Instance));

        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains(PlainOptionNames.Instance.Option(NsockOption.MaxTime), e.Message);
    }
}
