using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// The timeout bounds each phase that makes no useful progress (issue 14, finding 10), without --max-time: a response
/// head must be complete within the timeout (each interim one restarts it), and each timeout-long window of the body
/// must bring <see cref="HttpLimits.MinBodyBytesPerTimeout"/> bytes. The servers drip real bytes on loopback.
/// </summary>
public sealed class HttpSlowServerTests
{
    // Writes the head at once (when given), then the rest one byte every 100 ms, for at most 20 s.
    private static ScriptedHttpServer Dripping(string head, string dripped) => new(async c =>
    {
        if (head.Length > 0) await c.WriteAsync(head);
        var clock = Stopwatch.StartNew();
        foreach (char ch in dripped)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(20)) return;
            await Task.Delay(100, c.Stopping);
            await c.WriteAsync(ch.ToString());
        }
    });

    private static HttpRequestOptions Get(ScriptedHttpServer server, double timeoutSeconds) =>
        new() { Url = server.Url("/"), Timeout = TimeSpan.FromSeconds(timeoutSeconds) };

    [Fact]
    public async Task A_head_dripped_a_byte_at_a_time_ends_when_the_timeout_has_passed_since_the_request()
    {
        // 90 bytes at 10 a second: 9 s of head, each byte well within the 1 s timeout of the one before.
        await using ScriptedHttpServer server = Dripping("", "HTTP/1.1 200 OK\r\nX-Slow: " + new string('x', 60) + "\r\nContent-Length: 0\r\n\r\n");

        NsockException e = await HttpTest.FailsAsync(Get(server, 1));

        Assert.Equal(NsockErrorKind.TimedOut, e.Kind);
        Assert.Contains("did not complete the response head within timeout 1s", e.Message);
    }

    [Fact]
    public async Task A_body_dripped_a_byte_at_a_time_ends_after_one_window_without_enough_bytes()
    {
        // 40 body bytes at 10 a second: 4 s, never a second of silence.
        await using ScriptedHttpServer server = Dripping("HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n", new string('b', 40));

        NsockException e = await HttpTest.FailsAsync(Get(server, 1));

        Assert.Equal(NsockErrorKind.TimedOut, e.Kind);
        Assert.Contains("the body came too slowly", e.Message);
        Assert.Contains($"less than the {new HttpLimits().MinBodyBytesPerTimeout} bytes each timeout window must bring", e.Message);
    }

    [Fact]
    public async Task A_chunked_body_dripped_a_byte_at_a_time_ends_the_same_way()
    {
        await using ScriptedHttpServer server = Dripping("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "14\r\n" + new string('c', 20) + "\r\n0\r\n\r\n");

        NsockException e = await HttpTest.FailsAsync(Get(server, 1));

        Assert.Equal(NsockErrorKind.TimedOut, e.Kind);
        Assert.Contains("the body came too slowly", e.Message);
    }

    [Fact]
    public async Task A_body_that_brings_the_minimum_in_every_window_is_read_to_the_end()
    {
        // 10 bytes a second against a minimum of 3 per 1 s window: the window starts again and again, for 3 s in all.
        await using ScriptedHttpServer server = Dripping("HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\n", new string('k', 30));
        HttpRequestOptions o = Get(server, 1) with { Limits = new HttpLimits { MinBodyBytesPerTimeout = 3 } };

        HttpResponse r = await HttpTest.SendAsync(o);

        Assert.Equal(new string('k', 30), HttpTest.Text(r.Body));
    }

    [Fact]
    public async Task A_minimum_of_zero_leaves_only_the_silence_rule()
    {
        await using ScriptedHttpServer server = Dripping("HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n", new string('z', 20));
        HttpRequestOptions o = Get(server, 1) with { Limits = new HttpLimits { MinBodyBytesPerTimeout = 0 } };

        HttpResponse r = await HttpTest.SendAsync(o);

        Assert.Equal(20, r.BodyBytes);
    }

    [Fact]
    public async Task Each_interim_response_starts_the_head_window_again()
    {
        // Two 102s 600 ms apart, then the final head: 1.2 s in all, each head within its 1 s.
        await using var server = new ScriptedHttpServer(async c =>
        {
            await c.WriteAsync("HTTP/1.1 102 Processing\r\n\r\n");
            await Task.Delay(600, c.Stopping);
            await c.WriteAsync("HTTP/1.1 102 Processing\r\n\r\n");
            await Task.Delay(600, c.Stopping);
            await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        });

        HttpResponse r = await HttpTest.SendAsync(Get(server, 1));

        Assert.Equal(2, r.Interim.Count);
        Assert.Equal("ok", HttpTest.Text(r.Body));
    }
}
