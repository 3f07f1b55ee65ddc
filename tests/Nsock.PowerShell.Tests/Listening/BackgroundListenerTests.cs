using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.PowerShell.Tests;

/// <summary>New-BackgroundListener -Background without PowerShell: the BackgroundListener it returns, on real loopback sockets.</summary>
public sealed class BackgroundListenerTests
{
    private static async Task<SendResult> SendAsync(int port, string text, bool reply, Stream? replyTo = null)
    {
        using var cts = new CancellationTokenSource(Limits.Wait);
        SendPlan plan = new SendRequest { Target = new ConnectTarget { Host = "127.0.0.1", Port = port, Timeout = Limits.Wait.TotalSeconds } }.Validate(ParameterNames.Instance);
        return await plan.RunAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), reply ? replyTo ?? new MemoryStream() : null, NullEventSink.Instance, cts.Token);
    }

    private static void Stop(BackgroundListener l) => l.Stop(Limits.Wait);

    private static void AssertClosed(int port)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Assert.Equal(SocketError.ConnectionRefused, Assert.Throws<SocketException>(() => probe.Connect("127.0.0.1", port)).SocketErrorCode);
    }

    [Fact]
    public async Task A_background_echo_listener_reports_its_real_port_serves_while_the_caller_goes_on_and_counts()
    {
        BackgroundListener echo = await Serve.BackgroundAsync(new ListenRequest { Echo = true });
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
        }
        finally
        {
            Stop(echo);
        }
        Assert.Equal(SocketListenerState.Stopped, echo.State);
        Assert.Equal("stopped", echo.Reason);
        AssertClosed(echo.Port);
    }

    [Fact]
    public async Task A_capture_listener_keeps_what_its_one_client_sent_and_completes_by_itself()
    {
        BackgroundListener capture = await Serve.BackgroundAsync(new ListenRequest());
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
        BackgroundListener server = await Serve.BackgroundAsync(new ListenRequest { HasInput = true }, new[] { Encoding.ASCII.GetBytes("line 1\n"), Encoding.ASCII.GetBytes("line 2\n") });
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
        BackgroundListener echo = await Serve.BackgroundAsync(new ListenRequest { Udp = true, Echo = true });
        try
        {
            Assert.Equal("udp", echo.Transport);
            PingPlan plan = new PingRequest { Target = new ConnectTarget { Host = "127.0.0.1", Port = echo.Port }, Count = 3, Interval = 0 }.Validate(ParameterNames.Instance);
            using var cts = new CancellationTokenSource(Limits.Wait);
            PingOutcome o = await plan.RunAsync(NullEventSink.Instance, cts.Token);
            Assert.Equal(3, o.Summary.Received);
            Assert.Null(o.Error);
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
        BackgroundListener echo = await Serve.BackgroundAsync(new ListenRequest { Echo = true, ClientCount = 1 });
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
        BackgroundListener echo = await Serve.BackgroundAsync(new ListenRequest { Echo = true }, lifetime: TimeSpan.FromMilliseconds(200));
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
        BackgroundListener echo = await Serve.BackgroundAsync(new ListenRequest { Echo = true, Deny = new[] { "127.0.0.0/8" } });
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
            BackgroundListener receiver = await Serve.BackgroundAsync(new ListenRequest { ReceiveFiles = incoming, KeepOpen = true });
            try
            {
                var request = new SendFilesRequest
                {
                    Target = new ConnectTarget { Host = "127.0.0.1", Port = receiver.Port, Timeout = Limits.Wait.TotalSeconds },
                    Paths = new[] { source },
                    CurrentFolder = root,
                };
                using var cts = new CancellationTokenSource(Limits.Wait);
                SendFilesOutcome sent = await request.Validate(ParameterNames.Instance).RunAsync(NullEventSink.Instance, cts.Token);
                FileResult r = Assert.Single(sent.Results);
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
    public void Listeners_are_found_by_id_and_by_name_among_their_own_sessions_only()
    {
        var registry = new ListenerRegistry<Named>();
        object mine = new(), theirs = new();
        Named a = new(1, "lookup-alpha"), b = new(2, "lookup-beta"), c = new(3, "lookup-alpha-other-session");
        Assert.True(registry.Add(mine, a));
        Assert.False(registry.Add(mine, b));
        Assert.True(registry.Add(theirs, c));
        IReadOnlyList<Named> all = registry.Of(mine);
        Assert.Equal(new[] { a, b }, all);

        var (byId, missing) = ListenerLookup.ById(all, x => x.Id, new[] { b.Id, c.Id, -1 });
        Assert.Equal(new[] { b }, byId);
        Assert.Equal(new[] { c.Id, -1 }, missing);
        var (byName, none) = ListenerLookup.ByName(all, x => x.Name, new[] { "lookup-a*", "nope", "lookup-beta", "lookup-b*" },
            p => n => p.EndsWith('*') ? n.StartsWith(p.TrimEnd('*'), StringComparison.Ordinal) : n == p, p => p.Contains('*'));
        Assert.Equal(new[] { a, b }, byName);
        Assert.Equal(new[] { "nope" }, none);

        Assert.True(registry.Remove(a));
        Assert.False(registry.Remove(a));
        Assert.Equal(new[] { b }, registry.TakeAll(mine));
        Assert.Empty(registry.Of(mine));
        Assert.Equal(new[] { c }, registry.Of(theirs));
    }

    [Fact]
    public async Task Every_event_goes_to_the_owner_as_it_happens_and_the_end_last()
    {
        var events = new RecordingEvents();
        BackgroundListener capture = await Serve.BackgroundAsync(new ListenRequest(), events: events);
        try
        {
            await SendAsync(capture.Port, "to the job", reply: false);
            Assert.True(capture.WaitForEnd(Limits.Wait));
            Assert.True(events.Ended.Wait(Limits.Wait));
            string[] names = events.Events.Select(e => e.Event).ToArray();
            Assert.Equal("ready", names[0]);
            Assert.Equal("connected", names[1]);
            Assert.Equal("closed", names[^1]);
            Assert.Equal("to the job", string.Concat(events.Events.Where(e => e.Event == "data").Select(e => e.Text)));
            Assert.Equal(SocketListenerState.Completed, events.State);
            Assert.Equal("stopped", events.Stopped!.Event);
            Assert.Equal("the client's connection ended: 1 served, 0 rejected", events.Stopped.Detail);
            Assert.Null(events.Failure);
        }
        finally
        {
            Stop(capture);
        }
    }

    [Fact]
    public async Task Stopping_twice_or_after_the_end_changes_nothing()
    {
        BackgroundListener echo = await Serve.BackgroundAsync(new ListenRequest { Echo = true, ClientCount = 1 });
        await SendAsync(echo.Port, "x", reply: true);
        Assert.True(echo.WaitForEnd(Limits.Wait));
        Assert.True(echo.Stop(Limits.Wait));
        Assert.True(echo.Stop(Limits.Wait));
        Assert.Equal(SocketListenerState.Completed, echo.State);
        Assert.Equal("-Count 1 reached", echo.Reason);
    }

    [Fact]
    public async Task A_timeout_says_so_as_its_reason()
    {
        var events = new RecordingEvents();
        BackgroundListener echo = await Serve.BackgroundAsync(new ListenRequest { Echo = true }, lifetime: TimeSpan.FromMilliseconds(100), events: events);
        Assert.True(echo.WaitForEnd(Limits.Wait));
        Assert.Equal(SocketListenerState.Stopped, echo.State);
        Assert.Equal("-Timeout passed", echo.Reason);
        Assert.True(events.Ended.Wait(Limits.Wait));
        Assert.Equal("-Timeout passed", events.Stopped!.Detail);
        AssertClosed(echo.Port);
    }

    private sealed record Named(int Id, string Name);

    private sealed class RecordingEvents : IListenerEvents
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<SocketListenerEvent> _events = new();

        public ManualResetEventSlim Ended { get; } = new();

        public SocketListenerEvent[] Events => _events.ToArray();

        public SocketListenerState State { get; private set; }

        public SocketListenerEvent? Stopped { get; private set; }

        public Exception? Failure { get; private set; }

        public void Event(SocketListenerEvent e) => _events.Enqueue(e);

        void IListenerEvents.Ended(SocketListenerState state, SocketListenerEvent stopped, Exception? failure)
        {
            (State, Stopped, Failure) = (state, stopped, failure);
            Ended.Set();
        }
    }

    [Fact]
    public async Task A_listener_that_cannot_bind_fails_before_serving()
    {
        BackgroundListener first = await Serve.BackgroundAsync(new ListenRequest { Echo = true });
        try
        {
            var p = new ListenRequest { LocalAddress = "127.0.0.1", Port = first.Port, Echo = true };
            var e = await Assert.ThrowsAsync<NsockException>(() => Listener.BindAsync(Serve.Options(p), CancellationToken.None));
            Assert.Equal("ConnectionError", ErrorMapping.For(e)!.Category);
            Assert.Contains("in use", e.Message);
        }
        finally
        {
            Stop(first);
        }
    }
}
