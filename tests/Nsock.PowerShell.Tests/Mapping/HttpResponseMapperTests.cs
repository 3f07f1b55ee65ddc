using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.PowerShell.Tests;

public sealed class HttpResponseMapperTests
{
    [Fact]
    public void The_charset_of_the_response_decodes_the_body_else_the_encoding_given()
    {
        Encoding latin1 = HttpResponseMapper.CharsetOf(new[] { new HttpHeader("Content-Type", "text/plain; charset=\"ISO-8859-1\"") }, Encoding.UTF8);
        Assert.Equal(28591, latin1.CodePage);
        Assert.Same(Encoding.ASCII, HttpResponseMapper.CharsetOf(new[] { new HttpHeader("Content-Type", "text/plain") }, Encoding.ASCII));
        Assert.Same(Encoding.ASCII, HttpResponseMapper.CharsetOf(new[] { new HttpHeader("Content-Type", "text/plain; charset=klingon") }, Encoding.ASCII));
        Assert.Same(Encoding.ASCII, HttpResponseMapper.CharsetOf(Array.Empty<HttpHeader>(), Encoding.ASCII));
    }

    [Fact]
    public async Task A_chunked_response_from_a_loopback_server_keeps_status_headers_body_raw_bytes_chunks_and_timings()
    {
        byte[] canned = Encoding.Latin1.GetBytes(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=iso-8859-1\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\nx-a: 2\r\n\r\n" +
            "5\r\nhell\u00e9\r\n3;ext=1\r\n ok\r\n0\r\nX-Trailer: t\r\n\r\n");
        (Listener listener, _) = await Serve.BindAsync(new ListenRequest { HasInput = true });
        using (listener)
        {
            using var cts = new CancellationTokenSource(Limits.Wait);
            Task<ListenerResult> serving = listener.RunAsync(InputRecordStream.Of(new[] { canned }), null, NullEventSink.Instance, cts.Token);
            var raw = new CaptureStream(new HttpLimits().MaxCapturedBody);
            HttpPlan plan = new HttpRequest { Url = $"http://127.0.0.1:{listener.Ready.Port}/x" }.Validate(ParameterNames.Instance);
            HttpResponse response = (await plan.RunAsync(null, raw, NullEventSink.Instance, cts.Token)).Response;
            HttpRawResponse r = HttpResponseMapper.From(response, raw.ToArray(), Encoding.UTF8, null);

            Assert.Equal(200, r.StatusCode);
            Assert.Equal("OK", r.Reason);
            Assert.Equal(new[] { "1", "2" }, r.Headers["x-A"]);
            Assert.Equal(4, r.RawHeaders.Count);
            Assert.Equal("hell\u00e9 ok", r.Content);
            Assert.Equal(canned, r.Raw);
            Assert.Equal(canned.Length, r.RawBytes);
            Assert.Equal(3, r.Chunks!.Count);
            Assert.Equal("ext=1", r.Chunks[1].Extensions);
            Assert.Equal("t", Assert.Single(r.Trailers).Value);
            Assert.Equal("chunked", r.Framing);
            Assert.StartsWith("GET /x HTTP/1.1\r\n", r.RequestText);
            Assert.True(r.Timings!.CompleteMs >= r.Timings.ConnectedMs);
            Assert.Null(r.Tls);
            await serving.WaitAsync(Limits.Wait);
        }
    }
}
