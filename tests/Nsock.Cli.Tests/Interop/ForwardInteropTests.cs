using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>nsock forward between independent peers: nc and socat clients, a python3 echo server and socat as targets.</summary>
public class ForwardInteropTests
{
    [Fact]
    public async Task Nc_gets_its_bytes_back_through_nsock_forward_to_a_python_echo_server_and_json_reports_bytes_each_way()
    {
        byte[] payload = Data.Random(3 * 1024 * 1024);
        using Peers.Server echo = await Peers.PythonEchoServerAsync();
        (ChildProcess forward, int port) = await StartForwardAsync("127.0.0.1:0", $"127.0.0.1:{echo.Port}", "--json");
        using (forward)
        {
            using ChildProcess nc = ChildProcess.Start("nc", new[] { "-N", "127.0.0.1", port.ToString() });
            await nc.WriteStdInAsync(payload);

            Assert.Equal(0, await nc.WaitForExitAsync());
            Assert.Equal(Data.Sha256(payload), Data.Sha256(nc.StdOut.Bytes));
            string closedLine = await forward.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"closed\"", StringComparison.Ordinal));
            using JsonDocument closed = JsonDocument.Parse(closedLine);
            Assert.Equal(payload.Length, closed.RootElement.GetProperty("bytesReceived").GetInt64());
            Assert.Equal(payload.Length, closed.RootElement.GetProperty("bytesSent").GetInt64());
            Assert.True(closed.RootElement.GetProperty("seconds").GetDouble() > 0);
            Assert.False(closed.RootElement.TryGetProperty("error", out _));
            Assert.Contains(forward.StdOut.Lines, l => l.Contains("\"event\":\"forwarded\"", StringComparison.Ordinal) && l.Contains($"\"target\":\"127.0.0.1:{echo.Port}\"", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_socat_client_through_nsock_forward_reaches_a_socat_server_and_each_half_close_passes()
    {
        byte[] request = Data.Random(500_000);
        byte[] response = Data.Random(700_000);
        using var dir = new TempDir();
        string responseFile = dir.File("response.bin");
        File.WriteAllBytes(responseFile, response);
        // The server answers from a file and keeps reading until the client's end arrives (socat exits only then).
        using Peers.Server server = await Peers.SocatListenAsync("-t", "30", "TCP-LISTEN:0,bind=127.0.0.1", $"SYSTEM:'cat > {dir.File("request.bin")}; cat {responseFile}'");
        (ChildProcess forward, int port) = await StartForwardAsync("127.0.0.1:0", $"127.0.0.1:{server.Port}");
        using (forward)
        {
            using ChildProcess client = ChildProcess.Start("socat", new[] { "-t", "30", "-", $"TCP:127.0.0.1:{port}" });
            await client.WriteStdInAsync(request);

            Assert.Equal(0, await client.WaitForExitAsync());
            Assert.Equal(Data.Sha256(response), Data.Sha256(client.StdOut.Bytes));
            Assert.Equal(0, await server.Process.WaitForExitAsync());
            Assert.Equal(Data.Sha256(request), Data.Sha256(File.ReadAllBytes(dir.File("request.bin"))));
        }
    }

    [Fact]
    public async Task Forward_to_a_closed_port_says_so_without_verbose_and_keeps_listening()
    {
        int closed = FreePort.Closed();
        (ChildProcess forward, int port) = await StartForwardAsync("127.0.0.1:0", $"127.0.0.1:{closed}");
        using (forward)
        {
            using ChildProcess nc = ChildProcess.Start("nc", new[] { "-N", "127.0.0.1", port.ToString() });
            nc.CloseStdIn();
            await nc.WaitForExitAsync();
            string line = await forward.StdErr.WaitForLineAsync(l => l.Contains("refused", StringComparison.Ordinal));
            Assert.Contains($"127.0.0.1:{closed}", line);
            Assert.False(forward.HasExited);
        }
    }

    [Fact]
    public async Task A_socat_udp_client_gets_its_answer_through_nsock_forward_udp_from_a_socat_udp_server()
    {
        int udpPort;
        using (var probe = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp))
        {
            probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
            udpPort = ((System.Net.IPEndPoint)probe.LocalEndPoint!).Port;
        }
        using ChildProcess server = ChildProcess.Start("socat", new[] { "-d", "-d", $"UDP-RECVFROM:{udpPort},bind=127.0.0.1,fork", "SYSTEM:tr a-z A-Z" });
        await server.StdErr.WaitForLineAsync(l => l.Contains("receiving on", StringComparison.Ordinal));
        (ChildProcess forward, int port) = await StartForwardAsync("127.0.0.1:0", $"127.0.0.1:{udpPort}", "--udp", "--json");
        using (forward)
        {
            using ChildProcess client = ChildProcess.Start("socat", new[] { "-t", "5", "-", $"UDP:127.0.0.1:{port}" });
            await client.WriteStdInAsync(System.Text.Encoding.ASCII.GetBytes("datagram\n"), close: false);
            await client.StdOut.WaitForBytesAsync(9);
            Assert.Equal("DATAGRAM\n", client.StdOut.Text);
            string forwarded = await forward.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"forwarded\"", StringComparison.Ordinal));
            Assert.Contains($"\"target\":\"127.0.0.1:{udpPort}\"", forwarded);
        }
    }

    [Fact]
    public async Task A_socat_udp_client_is_forwarded_to_a_python_tcp_echo_server_and_json_reports_the_session_with_bytes_each_way()
    {
        using Peers.Server echo = await Peers.PythonEchoServerAsync();
        (ChildProcess forward, int port) = await StartForwardAsync("udp://127.0.0.1:0", $"tcp://127.0.0.1:{echo.Port}", "--json", "--timeout", "1");
        using (forward)
        {
            using ChildProcess client = ChildProcess.Start("socat", new[] { "-t", "5", "-", $"UDP:127.0.0.1:{port}" });
            await client.WriteStdInAsync(System.Text.Encoding.UTF8.GetBytes("one datagram\n"), close: false);
            await client.StdOut.WaitForBytesAsync(13);
            Assert.Equal("one datagram\n", client.StdOut.Text);
            // Quiet for --timeout: the session ends, its stream to the echo server closed, bytes counted each way.
            string closedLine = await forward.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"closed\"", StringComparison.Ordinal));
            using JsonDocument closed = JsonDocument.Parse(closedLine);
            Assert.Equal(13, closed.RootElement.GetProperty("bytesReceived").GetInt64());
            Assert.Equal(13, closed.RootElement.GetProperty("bytesSent").GetInt64());
            Assert.Contains(forward.StdOut.Lines, l => l.Contains("\"event\":\"forwarded\"", StringComparison.Ordinal) && l.Contains($"\"target\":\"127.0.0.1:{echo.Port}\"", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Nc_is_forwarded_to_a_socat_udp_server_gets_the_answer_after_its_half_close_and_the_stream_then_ends()
    {
        int udpPort = FreePort.Udp();
        using ChildProcess server = ChildProcess.Start("socat", new[] { "-d", "-d", $"UDP-RECVFROM:{udpPort},bind=127.0.0.1,fork", "SYSTEM:tr a-z A-Z" });
        await server.StdErr.WaitForLineAsync(l => l.Contains("receiving on", StringComparison.Ordinal));
        (ChildProcess forward, int port) = await StartForwardAsync("127.0.0.1:0", $"udp://127.0.0.1:{udpPort}", "--json", "--timeout", "2");
        using (forward)
        {
            // nc -N half-closes after its input: the answer still comes back, then the forward ends the stream.
            using ChildProcess nc = ChildProcess.Start("nc", new[] { "-N", "127.0.0.1", port.ToString() });
            await nc.WriteStdInAsync(System.Text.Encoding.ASCII.GetBytes("datagram\n"));
            Assert.Equal(0, await nc.WaitForExitAsync());
            Assert.Equal("DATAGRAM\n", nc.StdOut.Text);
            string closedLine = await forward.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"closed\"", StringComparison.Ordinal));
            using JsonDocument closed = JsonDocument.Parse(closedLine);
            Assert.Equal(9, closed.RootElement.GetProperty("bytesReceived").GetInt64());
            Assert.Equal(9, closed.RootElement.GetProperty("bytesSent").GetInt64());
            Assert.False(closed.RootElement.TryGetProperty("error", out _));
        }
    }

    // nsock forward started and listening: the port from its ready event (--json) or its "listening on" line.
    private static async Task<(ChildProcess, int)> StartForwardAsync(string listen, string target, params string[] more)
    {
        ChildProcess p = Nsock.Start(new[] { "forward", listen, target }.Concat(more).ToArray());
        try
        {
            if (more.Contains("--json"))
            {
                string ready = await p.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"ready\"", StringComparison.Ordinal));
                using JsonDocument doc = JsonDocument.Parse(ready);
                return (p, doc.RootElement.GetProperty("port").GetInt32());
            }
            string line = await p.StdErr.WaitForLineAsync(l => l.StartsWith("nsock: listening on", StringComparison.Ordinal));
            return (p, int.Parse(line[(line.LastIndexOf(':') + 1)..]));
        }
        catch
        {
            p.Dispose();
            throw;
        }
    }
}
