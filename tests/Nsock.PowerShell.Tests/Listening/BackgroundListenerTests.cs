using System;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.PowerShell.Tests;

/// <summary>New-SocketListener -Background without PowerShell: the SocketListener it returns, on real loopback sockets.</summary>
public sealed class BackgroundListenerTests
{
    private static async Task<SendResult> SendAsync(int port, string text, bool reply, Stream? replyTo = null)
    {
        using var cts = new CancellationTokenSource(Limits.Wait);
        var p = new TransferParameters { ComputerName = "127.0.0.1", Port = port, Timeout = Limits.Wait.TotalSeconds };
        return await Sender.SendAsync(TransferOptionsMapper.SendEndpoint(p), new MemoryStream(Encoding.UTF8.GetBytes(text)), reply ? replyTo ?? new MemoryStream() : null,
            TransferOptionsMapper.Send(p), NullEventSink.Instance, cts.Token);
    }

    private static void Stop(SocketListener l)
    {
        l.Stop(Limits.Wait);
        ListenerRegistry.Remove(l);
    }

    private static void AssertClosed(int port)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Assert.Equal(SocketError.ConnectionRefused, Assert.Throws<SocketException>(() => probe.Connect("127.0.0.1", port)).SocketErrorCode);
    }

    [Fact]
    public async Task A_background_echo_listener_reports_its_real_port_serves_while_the_caller_goes_on_and_counts()
    {
        SocketListener echo = await Serve.BackgroundAsync(new ListenerParameters { Echo = true }, name: "echo-test");
        try
        {
            Assert.NotEqual(0, echo.Port);
            Assert.Equal($"tcp://127.0.0.1:{echo.Port}", echo.Endpoint);
            Assert.Equal(ListenerMode.Echo, echo.Mode);
            Assert.Equal(SocketListenerState.Running, echo.State);
            for (int i = 0; i < 2; i++)
            {
                var reply = new MemoryStream();
                SendResult r = await SendAsync(echo.Port, "hello", reply: true, reply);
                Assert.Equal("hello", Encoding.UTF8.GetString(reply.ToArray()));
                Assert.True(r.PeerClosed);
            }
            Assert.True(Serve.Eventually(() => echo.Clients == 2 && echo.BytesReceived == 10 && echo.BytesSent == 10), $"{echo.Clients} clients, {echo.BytesReceived} bytes");
            Assert.Contains(echo.GetEvents(), e => e.Event == "closed");
            Assert.Contains(echo, ListenerRegistry.All());
        }
        finally
        {
            Stop(echo);
        }
        Assert.Equal(SocketListenerState.Stopped, echo.State);
        AssertClosed(echo.Port);
        Assert.DoesNotContain(echo, ListenerRegistry.All());
    }

    [Fact]
    public async Task A_capture_listener_keeps_what_its_one_client_sent_and_completes_by_itself()
    {
        SocketListener capture = await Serve.BackgroundAsync(new ListenerParameters());
        try
        {
            await SendAsync(capture.Port, "captured bytes", reply: false);
            Assert.True(capture.WaitForEnd(Limits.Wait));
            Assert.Equal(SocketListenerState.Completed, capture.State);
            Assert.Equal("captured bytes", capture.ReceivedText);
            Assert.Equal(14, capture.BytesReceived);
            AssertClosed(capture.Port);
        }
        finally
        {
            Stop(capture);
        }
    }

    [Fact]
    public async Task A_relay_listener_with_input_sends_it_to_the_client_then_half_closes()
    {
        SocketListener server = await Serve.BackgroundAsync(new ListenerParameters { HasInput = true }, new[] { Encoding.ASCII.GetBytes("line 1\n"), Encoding.ASCII.GetBytes("line 2\n") });
        try
        {
            using var cts = new CancellationTokenSource(Limits.Wait);
            using Socket s = await Connector.ConnectAsync(Serve.Tcp(server.Port), new ConnectOptions { Timeout = Limits.Wait }, cts.Token);
            var got = new MemoryStream();
            ReceiveResult r = await Receiver.ReceiveAsync(s, got, new ReceiveOptions { IdleTimeout = Limits.Wait }, cts.Token);
            Assert.Equal(ReceiveEnd.PeerClosed, r.End);
            Assert.Equal("line 1\nline 2\n", Encoding.ASCII.GetString(got.ToArray()));
        }
        finally
        {
            Stop(server);
        }
    }

    [Fact]
    public async Task A_udp_echo_listener_answers_ping_and_counts_datagrams()
    {
        SocketListener echo = await Serve.BackgroundAsync(new ListenerParameters { Udp = true, Echo = true });
        try
        {
            Assert.Equal("udp", echo.Transport);
            PingOptions o = PingOptionsMapper.Map(new PingParameters { ComputerName = "127.0.0.1", Port = echo.Port, Count = 3, Interval = 0 });
            using var cts = new CancellationTokenSource(Limits.Wait);
            PingSummary s = await Pinger.RunAsync(o, NullEventSink.Instance, cts.Token);
            Assert.Equal(3, s.Received);
            Assert.Null(PingOptionsMapper.Outcome(s));
            Assert.True(Serve.Eventually(() => echo.Datagrams >= 3));
        }
        finally
        {
            Stop(echo);
        }
    }

    [Fact]
    public async Task Count_ends_the_listener_after_that_many_clients()
    {
        SocketListener echo = await Serve.BackgroundAsync(new ListenerParameters { Echo = true, Count = 1 });
        try
        {
            await SendAsync(echo.Port, "x", reply: true);
            Assert.True(echo.WaitForEnd(Limits.Wait));
            Assert.Equal(SocketListenerState.Completed, echo.State);
            Assert.Equal(1, echo.Clients);
            AssertClosed(echo.Port);
        }
        finally
        {
            Stop(echo);
        }
    }

    [Fact]
    public async Task Timeout_stops_a_background_listener()
    {
        SocketListener echo = await Serve.BackgroundAsync(new ListenerParameters { Echo = true }, lifetime: TimeSpan.FromMilliseconds(200));
        try
        {
            Assert.True(echo.WaitForEnd(Limits.Wait));
            Assert.Equal(SocketListenerState.Stopped, echo.State);
        }
        finally
        {
            Stop(echo);
        }
    }

    [Fact]
    public async Task Deny_refuses_loopback_peers_and_counts_them()
    {
        SocketListener echo = await Serve.BackgroundAsync(new ListenerParameters { Echo = true, Deny = new[] { "127.0.0.0/8" } });
        try
        {
            await Assert.ThrowsAnyAsync<NsockException>(() => SendAsync(echo.Port, "x", reply: true));
            Assert.True(Serve.Eventually(() => echo.Rejected == 1));
            Assert.Equal(0, echo.Clients);
            Assert.Contains(echo.GetEvents(), e => e.Event == "rejected");
        }
        finally
        {
            Stop(echo);
        }
    }

    [Fact]
    public async Task A_receive_files_listener_takes_files_from_the_file_sender_verified()
    {
        string root = Directory.CreateTempSubdirectory("nsock-ps-").FullName;
        try
        {
            string incoming = Directory.CreateDirectory(Path.Combine(root, "in")).FullName;
            string source = Path.Combine(root, "report.txt");
            File.WriteAllText(source, "the report");
            SocketListener receiver = await Serve.BackgroundAsync(new ListenerParameters { ReceiveFiles = incoming, KeepOpen = true });
            try
            {
                var files = FileSelection.Expand(new[] { source }, null, root);
                var p = new FileSendParameters { ComputerName = "127.0.0.1", Port = receiver.Port, Timeout = Limits.Wait.TotalSeconds };
                using var cts = new CancellationTokenSource(Limits.Wait);
                var results = await FileSender.SendAsync(FileSendMapper.Endpoint(p), files, FileSendMapper.Options(p), NullEventSink.Instance, cts.Token);
                FileResult r = Assert.Single(results);
                Assert.True(r.Verified, r.Reason);
                Assert.Equal("the report", File.ReadAllText(Path.Combine(incoming, "report.txt")));
                Assert.True(Serve.Eventually(() => receiver.Files == 1));
                Assert.Contains(receiver.GetEvents(), e => e.Event == "file");
            }
            finally
            {
                Stop(receiver);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Listeners_are_found_by_id_and_by_name()
    {
        SocketListener a = await Serve.BackgroundAsync(new ListenerParameters { Echo = true }, name: "lookup-alpha");
        SocketListener b = await Serve.BackgroundAsync(new ListenerParameters { Echo = true }, name: "lookup-beta");
        try
        {
            Assert.NotEqual(a.Id, b.Id);
            var (byId, missing) = ListenerLookup.ById(new[] { b.Id, -1 });
            Assert.Equal(new[] { b }, byId);
            Assert.Equal(new[] { -1 }, missing);
            var (byName, none) = ListenerLookup.ByName(new[] { "lookup-a*", "nope" }, p => n => p == "lookup-a*" ? n.StartsWith("lookup-a", StringComparison.Ordinal) : n == p, p => p.Contains('*'));
            Assert.Equal(new[] { a }, byName);
            Assert.Equal(new[] { "nope" }, none);
        }
        finally
        {
            Stop(a);
            Stop(b);
        }
    }

    [Fact]
    public async Task A_listener_that_cannot_bind_fails_before_serving()
    {
        SocketListener first = await Serve.BackgroundAsync(new ListenerParameters { Echo = true });
        try
        {
            var p = new ListenerParameters { LocalAddress = "127.0.0.1", Port = first.Port, Echo = true };
            var e = await Assert.ThrowsAsync<NsockException>(() => Listener.BindAsync(ListenerOptionsMapper.Map(p), CancellationToken.None));
            Assert.Equal("ConnectionError", ErrorMapping.For(e)!.Category);
            Assert.Contains("in use", e.Message);
        }
        finally
        {
            Stop(first);
        }
    }
}
