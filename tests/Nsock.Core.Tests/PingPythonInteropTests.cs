using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

// nsock's probes are plain datagrams: any echo server answers them, here one written with Python's stdlib.
public class PingPythonInteropTests
{
    // Exits by itself after 30 s of silence, should the test run die before it can kill the process.
    private const string EchoServer = """
        import socket
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1], flush=True)
        s.settimeout(30)
        while True:
            data, peer = s.recvfrom(65535)
            s.sendto(data, peer)
        """;

    [Fact]
    public async Task Ping_gets_every_reply_from_a_python_stdlib_udp_echo_server()
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(EchoServer);
        using Process python = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        try
        {
            string? line = await python.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(int.TryParse(line, out int port), $"python printed '{line}' instead of its port");
            var sink = new TestEventSink();
            var o = new PingOptions { Endpoint = new Endpoint(Transport.Udp, "127.0.0.1", port), Count = 20, Warmup = 1, Interval = TimeSpan.Zero, Timeout = TimeSpan.FromSeconds(2), Size = 200 };
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));

            PingSummary s = await Pinger.RunAsync(o, sink, cts.Token).Within(20);

            Assert.Equal(20, s.Received);
            Assert.Equal(0, s.LossPercent);
            Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), sink.Of<PingReply>().Select(r => r.Seq));
            Assert.All(sink.Of<PingReply>(), r => Assert.Equal(200, r.Bytes));
        }
        finally
        {
            if (!python.HasExited)
            {
                python.Kill(entireProcessTree: true);
                python.WaitForExit(5000);
            }
        }
    }
}
