using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>Against an independent server, Python's http.server: what it sends is not shaped by our own assumptions.</summary>
public sealed class HttpPythonServerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "nsock-http-" + Guid.NewGuid().ToString("N").Substring(0, 8));
    private readonly byte[] _file;

    public HttpPythonServerTests()
    {
        Directory.CreateDirectory(_dir);
        _file = new byte[300_000];
        new Random(1234).NextBytes(_file);
        File.WriteAllBytes(Path.Combine(_dir, "data.bin"), _file);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Python_server_file_arrives_whole_with_content_length_framing_headers_in_wire_order_and_monotonic_timings()
    {
        using PythonHttpServer server = await PythonHttpServer.StartAsync(_dir);
        var raw = new MemoryStream();
        var events = new HttpEventRecorder();

        HttpResponse r = await HttpTest.SendAsync(new HttpRequestOptions { Url = new Uri($"http://127.0.0.1:{server.Port}/data.bin"), Timeout = TimeSpan.FromSeconds(5) }, raw: raw, events: events);

        Assert.Equal(200, r.Status);
        Assert.Equal(HttpFraming.ContentLength, r.Framing);
        Assert.Equal(_file.Length, r.BodyBytes);
        Assert.False(r.BodyTruncated);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(_file)), Convert.ToHexString(SHA256.HashData(r.Body!)));
        Assert.Equal(_file.Length.ToString(), r.Headers.Single(h => h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Value);
        Assert.Equal(r.HeaderBytes + r.BodyBytes, r.RawBytes);
        Assert.Equal(raw.Length, r.RawBytes);

        // Header order and spelling exactly as on the wire (read back from the raw bytes).
        string[] wireLines = Encoding.Latin1.GetString(raw.ToArray(), 0, (int)r.HeaderBytes).Split("\r\n");
        Assert.StartsWith("HTTP/1.0 200 ", wireLines[0]);
        string[] wireNames = wireLines.Skip(1).TakeWhile(l => l.Length > 0).Select(l => l.Substring(0, l.IndexOf(':'))).ToArray();
        Assert.True(wireNames.Length >= 4, string.Join(", ", wireNames));
        Assert.Equal(wireNames, r.Headers.Select(h => h.Name));
        Assert.True(Array.IndexOf(wireNames, "Server") < Array.IndexOf(wireNames, "Date"), "python sends Server before Date");

        HttpHead head = Assert.Single(events.Of<HttpHead>());
        Assert.False(head.IsInterim);
        Assert.Equal(r.Headers, head.Headers);

        HttpTimings t = r.Timings;
        Assert.Null(t.TlsDoneMs);
        Assert.NotNull(t.FirstByteMs);
        Assert.True(t.ResolvedMs >= 0, $"resolved {t.ResolvedMs}");
        Assert.True(t.ResolvedMs <= t.ConnectedMs, $"resolved {t.ResolvedMs} > connected {t.ConnectedMs}");
        Assert.True(t.ConnectedMs <= t.RequestSentMs, $"connected {t.ConnectedMs} > sent {t.RequestSentMs}");
        Assert.True(t.RequestSentMs <= t.FirstByteMs, $"sent {t.RequestSentMs} > first byte {t.FirstByteMs}");
        Assert.True(t.FirstByteMs <= t.CompleteMs, $"first byte {t.FirstByteMs} > complete {t.CompleteMs}");
    }

    [Fact]
    public async Task Python_server_body_goes_to_the_body_stream_and_HEAD_reads_no_body()
    {
        using PythonHttpServer server = await PythonHttpServer.StartAsync(_dir);
        var url = new Uri($"http://127.0.0.1:{server.Port}/data.bin");
        var body = new MemoryStream();

        HttpResponse get = await HttpTest.SendAsync(new HttpRequestOptions { Url = url, Timeout = TimeSpan.FromSeconds(5) }, body: body);
        HttpResponse head = await HttpTest.SendAsync(new HttpRequestOptions { Url = url, Method = "HEAD", Timeout = TimeSpan.FromSeconds(5) });
        HttpResponse missing = await HttpTest.SendAsync(new HttpRequestOptions { Url = new Uri($"http://127.0.0.1:{server.Port}/missing.bin"), Timeout = TimeSpan.FromSeconds(5) });

        Assert.Null(get.Body);
        Assert.Equal(_file, body.ToArray());
        Assert.Equal(200, head.Status);
        Assert.Equal(HttpFraming.None, head.Framing);
        Assert.Equal(0, head.BodyBytes);
        Assert.Equal(_file.Length.ToString(), head.Headers.Single(h => h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Value);
        Assert.Equal(404, missing.Status);
        Assert.Equal("File not found", missing.Reason);
    }
}
