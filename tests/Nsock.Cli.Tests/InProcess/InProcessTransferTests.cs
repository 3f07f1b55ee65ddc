using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>The command tree run in-process against real loopback sockets: data moves through the injected streams.</summary>
public class InProcessTransferTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Recv_writes_every_byte_the_peer_sends_to_the_injected_stdout()
    {
        byte[] payload = Data.Random(300_000);
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        Task serve = Task.Run(async () =>
        {
            using Socket peer = await server.AcceptSocketAsync();
            await peer.SendAsync(payload);
            peer.Shutdown(SocketShutdown.Send);
        });

        InProcessResult r = await InProcess.RunAsync("recv", $"127.0.0.1:{((IPEndPoint)server.LocalEndpoint).Port}");

        await serve.WaitAsync(Limit);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(r.StdOut));
    }

    [Fact]
    public async Task Send_reads_the_injected_stdin_half_closes_and_prints_the_reply()
    {
        byte[] payload = Data.Random(200_000);
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        Task<byte[]> serve = Task.Run(async () =>
        {
            using Socket peer = await server.AcceptSocketAsync();
            using var got = new MemoryStream();
            byte[] buffer = new byte[65536];
            int n;
            while ((n = await peer.ReceiveAsync(buffer)) > 0) got.Write(buffer, 0, n); // ends only on nsock's half-close
            await peer.SendAsync("thanks"u8.ToArray());
            peer.Shutdown(SocketShutdown.Send);
            return got.ToArray();
        });

        InProcessResult r = await InProcess.RunAsync(new[] { "send", $"127.0.0.1:{((IPEndPoint)server.LocalEndpoint).Port}", "--reply" }, payload, CancellationToken.None);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(await serve.WaitAsync(Limit)));
        Assert.Equal("thanks", r.Utf8());
    }

    [Fact]
    public async Task Cancelling_a_listener_in_process_ends_it_with_exit_code_130_and_frees_the_port()
    {
        var inner = new StringWriter();
        TextWriter @out = TextWriter.Synchronized(inner);
        var io = new ConsoleIo(new MemoryStream(), new MemoryStream(), @out, new StringWriter(), stdInIsTerminal: false);
        using var cts = new CancellationTokenSource();
        Task<int> run = NsockApp.InvokeAsync(new[] { "listen", "127.0.0.1:0", "--echo", "--json" }, io, cts.Token);

        int port = await ReadyPortAsync(@out, inner);
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(Limit);
        }
        cts.Cancel();

        Assert.Equal(ExitCodes.Interrupted, await run.WaitAsync(Limit));
        var probe = new TcpClient();
        var refused = await Assert.ThrowsAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, port).WaitAsync(Limit));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    private static async Task<int> ReadyPortAsync(TextWriter synchronizedOut, StringWriter inner)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (DateTime.UtcNow < deadline)
        {
            string text;
            lock (synchronizedOut) text = inner.ToString(); // the synchronized writer locks on itself
            int end = text.IndexOf('\n');
            if (end > 0)
            {
                using JsonDocument doc = JsonDocument.Parse(text[..end]);
                Assert.Equal("ready", doc.RootElement.GetProperty("event").GetString());
                return doc.RootElement.GetProperty("port").GetInt32();
            }
            await Task.Delay(20);
        }
        throw new TimeoutException("the listener never printed its ready line");
    }
}
