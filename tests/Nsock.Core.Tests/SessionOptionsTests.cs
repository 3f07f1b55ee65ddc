using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

// The netcat session options: --crlf (nc -C), --delay (nc -i), --hex-dump/--output (ncat -x/-o) and a listener's
// --idle-timeout, on real loopback sockets.
public class SessionOptionsTests
{
    private static readonly IOptionNames s_names = PlainOptionNames.Instance;

    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    private static string Ascii(byte[] b) => Encoding.ASCII.GetString(b);

    private static ConnectTarget To(Socket listener) => new() { Endpoint = $"127.0.0.1:{listener.Port()}" };

    // Reads everything through reads of at most `size` bytes, as a relay with a small buffer would.
    private static byte[] ReadAllInReadsOf(Stream s, int size)
    {
        var all = new MemoryStream();
        var buffer = new byte[size];
        int n;
        while ((n = s.Read(buffer, 0, size)) > 0) all.Write(buffer, 0, n);
        return all.ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4096)]
    public void Crlf_turns_each_bare_lf_into_cr_lf_and_keeps_cr_lf_and_lone_cr_whatever_the_read_size(int readSize)
    {
        var input = new MemoryStream(Ascii("HELO x\nMAIL\r\nodd\rcr\n\n"));
        byte[] got = ReadAllInReadsOf(new CrlfInputStream(input), readSize);
        Assert.Equal("HELO x\r\nMAIL\r\nodd\rcr\r\n\r\n", Ascii(got));
    }

    [Fact]
    public void Crlf_keeps_a_cr_lf_split_between_two_reads_of_the_input()
    {
        var input = new BlockingInputStream();
        input.Add(Ascii("a\r"));
        input.Add(Ascii("\nb\n"));
        input.Complete();
        Assert.Equal("a\r\nb\r\n", Ascii(ReadAllInReadsOf(new CrlfInputStream(input), 4096)));
    }

    [Fact]
    public async Task Connect_with_crlf_puts_cr_lf_on_the_wire_for_each_line_typed()
    {
        using Socket listener = Loopback.ListenTcp();
        ConnectPlan plan = new ConnectRequest { Target = To(listener), Crlf = true }.Validate(s_names);

        Task<RelayResult> run = plan.RunAsync(new MemoryStream(Ascii("EHLO me\nQUIT\r\n")), Stream.Null, new RecordingSink(), CancellationToken.None);
        using Socket served = await listener.AcceptBoundedAsync();
        byte[] wire = await served.ReadToEndAsync();
        served.Shutdown(SocketShutdown.Send);
        RelayResult r = await run.WaitAsync(Limits.Wait);

        Assert.Equal("EHLO me\r\nQUIT\r\n", Ascii(wire));
        Assert.Equal(wire.Length, r.BytesSent);
    }

    [Fact]
    public async Task Send_over_udp_with_a_delay_sends_each_line_as_its_own_datagram_after_a_pause()
    {
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        SendPlan plan = new SendRequest { Target = new ConnectTarget { Endpoint = $"127.0.0.1:{peer.Port()}", Udp = true, Timeout = 1 }, Delay = 0.2 }.Validate(s_names);

        var clock = Stopwatch.StartNew();
        SendResult result = await plan.RunAsync(new MemoryStream(Ascii("one\ntwo\nthree")), null, new RecordingSink(), CancellationToken.None).WaitAsync(Limits.Wait);
        TimeSpan took = clock.Elapsed;

        Assert.Equal(3, result.Datagrams);
        var buffer = new byte[100];
        peer.ReceiveTimeout = (int)Limits.Wait.TotalMilliseconds;
        Assert.Equal("one\n", Ascii(buffer.AsSpan(0, peer.Receive(buffer)).ToArray()));
        Assert.Equal("two\n", Ascii(buffer.AsSpan(0, peer.Receive(buffer)).ToArray()));
        Assert.Equal("three", Ascii(buffer.AsSpan(0, peer.Receive(buffer)).ToArray()));
        // Two pauses at least (a lower bound: a slow machine only makes it longer).
        Assert.True(took >= TimeSpan.FromSeconds(0.4), $"took {took.TotalSeconds:0.###}s");
    }

    [Fact]
    public async Task Connect_with_a_delay_still_delivers_every_byte_with_crlf()
    {
        using Socket listener = Loopback.ListenTcp();
        ConnectPlan plan = new ConnectRequest { Target = To(listener), Delay = 0.05, Crlf = true }.Validate(s_names);

        Task<RelayResult> run = plan.RunAsync(new MemoryStream(Ascii("a\nb\nc\n")), Stream.Null, new RecordingSink(), CancellationToken.None);
        using Socket served = await listener.AcceptBoundedAsync();
        byte[] wire = await served.ReadToEndAsync();
        served.Shutdown(SocketShutdown.Send);
        await run.WaitAsync(Limits.Wait);

        Assert.Equal("a\r\nb\r\nc\r\n", Ascii(wire));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(1e18)]
    public void A_delay_out_of_range_is_bad_input_naming_it(double delay)
    {
        var e = Assert.Throws<NsockException>(() => new ConnectRequest { Target = new ConnectTarget { Endpoint = "127.0.0.1:9" }, Delay = delay }.Validate(s_names));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains("delay", e.Message);
    }

    [Fact]
    public async Task Hex_dump_and_output_record_both_directions_with_direction_time_and_count()
    {
        using var dir = new TempFolder();
        string hex = Path.Combine(dir.Path, "s.hex"), raw = Path.Combine(dir.Path, "s.log");
        using Socket listener = Loopback.ListenTcp();
        ConnectPlan plan = new ConnectRequest { Target = To(listener), HexDumpPath = hex, OutputPath = raw }.Validate(s_names);

        var input = new BlockingInputStream();
        Task<RelayResult> run = plan.RunAsync(input, Stream.Null, new RecordingSink(), CancellationToken.None);
        using Socket served = await listener.AcceptBoundedAsync();
        input.Add(Ascii("hello"));
        Assert.Equal("hello", Ascii(await served.ReadExactlyAsync(5)));
        await served.SendAllAsync(Ascii("world!\n"));
        served.Shutdown(SocketShutdown.Send);
        input.Complete();
        await run.WaitAsync(Limits.Wait);

        string dump = File.ReadAllText(hex);
        Assert.Matches(new Regex(@"^> \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z sent 5 bytes at 0\n00000000  68 65 6c 6c 6f +\|hello\|\n", RegexOptions.Multiline), dump);
        Assert.Matches(new Regex(@"^< \S+Z received 7 bytes at 0\n00000000  77 6f 72 6c 64 21 0a +\|world!\.\|\n", RegexOptions.Multiline), dump);
        string log = File.ReadAllText(raw);
        Assert.Matches(new Regex(@"^> \S+Z sent 5 bytes at 0\nhello\n", RegexOptions.Multiline), log);
        Assert.Matches(new Regex(@"^< \S+Z received 7 bytes at 0\nworld!\n\n", RegexOptions.Multiline), log);
    }

    [Fact]
    public async Task Record_files_must_be_two_different_files_in_folders_that_exist()
    {
        using var dir = new TempFolder();
        string same = Path.Combine(dir.Path, "x");
        var e = Assert.Throws<NsockException>(() => new ConnectRequest { Target = new ConnectTarget { Endpoint = "127.0.0.1:9" }, HexDumpPath = same, OutputPath = same }.Validate(s_names));
        Assert.Contains("same file", e.Message);
        e = Assert.Throws<NsockException>(() => new SendRequest { Target = new ConnectTarget { Endpoint = "127.0.0.1:9" }, OutputPath = Path.Combine(dir.Path, "no", "such", "x") }.Validate(s_names));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains("does not exist", e.Message);
        e = Assert.Throws<NsockException>(() => new ListenRequest { Endpoint = "127.0.0.1:0", HexDumpPath = dir.Path }.Validate(s_names));
        Assert.Contains("is a folder", e.Message);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_keep_open_listener_records_each_client_under_its_number()
    {
        using var dir = new TempFolder();
        string raw = Path.Combine(dir.Path, "clients.log");
        ListenPlan plan = new ListenRequest { Endpoint = "127.0.0.1:0", KeepOpen = true, OutputPath = raw }.Validate(s_names);
        await using (RunningListener server = await RunningListener.StartAsync(plan.Options))
        {
            foreach (string text in new[] { "first", "second" })
            {
                using Socket client = await Loopback.ConnectAsync(server.Endpoint);
                await client.SendAllAsync(Ascii(text));
                client.Shutdown(SocketShutdown.Send);
                await client.ReadToEndAsync();
            }
            await server.Sink.WaitForAsync<ClientClosed>(2);
        }

        string log = File.ReadAllText(raw);
        Assert.Matches(new Regex(@"^< \S+Z client 1 received 5 bytes at 0\nfirst\n", RegexOptions.Multiline), log);
        Assert.Matches(new Regex(@"^< \S+Z client 2 received 6 bytes at 0\nsecond\n", RegexOptions.Multiline), log);
    }

    [Fact]
    public async Task An_echo_listener_records_what_it_received_and_sent_back()
    {
        using var dir = new TempFolder();
        string hex = Path.Combine(dir.Path, "echo.hex");
        ListenPlan plan = new ListenRequest { Endpoint = "127.0.0.1:0", Echo = true, HexDumpPath = hex }.Validate(s_names);
        await using (RunningListener server = await RunningListener.StartAsync(plan.Options))
        {
            using Socket client = await Loopback.ConnectAsync(server.Endpoint);
            Assert.Equal("ping", Ascii(await client.RoundTripAsync(Ascii("ping"))));
            await server.Sink.WaitForAsync<ClientClosed>();
        }

        string dump = File.ReadAllText(hex);
        Assert.Contains("client 1 received 4 bytes at 0\n00000000  70 69 6e 67", dump);
        Assert.Contains("client 1 sent 4 bytes at 0\n00000000  70 69 6e 67", dump);
    }

    [Fact]
    public void Recording_a_file_mode_or_idling_out_udp_clients_is_bad_input()
    {
        using var dir = new TempFolder();
        ListenPlan files = new ListenRequest { Endpoint = "127.0.0.1:0", ReceiveFiles = dir.Path, HexDumpPath = Path.Combine(dir.Path, "h") }.Validate(s_names);
        var e = Assert.ThrowsAsync<NsockException>(() => files.BindAsync(CancellationToken.None)).GetAwaiter().GetResult();
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        ListenPlan udp = new ListenRequest { Endpoint = "127.0.0.1:0", Udp = true, ClientIdleTimeout = 1 }.Validate(s_names);
        e = Assert.ThrowsAsync<NsockException>(() => udp.BindAsync(CancellationToken.None)).GetAwaiter().GetResult();
        Assert.Contains("UDP", e.Message);
    }

    [Fact]
    public async Task Idle_timeout_closes_a_quiet_client_of_a_keep_open_listener_and_the_listener_serves_the_next()
    {
        ListenPlan plan = new ListenRequest { Endpoint = "127.0.0.1:0", KeepOpen = true, ClientIdleTimeout = 0.3 }.Validate(s_names);
        using var input = new BlockingInputStream();
        using var output = new MemoryStream();
        await using RunningListener server = await RunningListener.StartAsync(plan.Options, input, Stream.Synchronized(output));

        using Socket quiet = await Loopback.ConnectAsync(server.Endpoint);
        await ClosedByPeerAsync(quiet); // closed by the listener, not by us
        ClientClosed closed = (await server.Sink.WaitForAsync<ClientClosed>()).Single();
        Assert.Contains("idle", closed.Error);

        using Socket next = await Loopback.ConnectAsync(server.Endpoint);
        await next.SendAllAsync(Ascii("still here"));
        next.Shutdown(SocketShutdown.Send);
        await server.Sink.WaitForAsync<ClientClosed>(2);
        Assert.Equal("still here", Ascii(output.ToArray()));
        input.Complete();
    }

    [Fact]
    public async Task Idle_timeout_ends_the_one_relay_client_that_sends_nothing_while_the_input_stays_open()
    {
        ListenPlan plan = new ListenRequest { Endpoint = "127.0.0.1:0", ClientIdleTimeout = 0.3 }.Validate(s_names);
        using var input = new BlockingInputStream(); // a terminal nobody types into
        await using RunningListener server = await RunningListener.StartAsync(plan.Options, input, Stream.Null);

        using Socket quiet = await Loopback.ConnectAsync(server.Endpoint);
        await ClosedByPeerAsync(quiet);
        ListenerResult result = await server.FinishedAsync();

        Assert.Equal(RelayEnd.IdleTimeout, result.Relay?.End);
        Assert.Equal(NsockErrorKind.TimedOut, result.Relay?.Error?.Kind);
        input.Complete();
    }

    [Fact]
    public async Task Idle_timeout_keeps_a_client_that_keeps_talking()
    {
        ListenPlan plan = new ListenRequest { Endpoint = "127.0.0.1:0", Echo = true, ClientIdleTimeout = 0.5 }.Validate(s_names);
        await using RunningListener server = await RunningListener.StartAsync(plan.Options);
        using Socket client = await Loopback.ConnectAsync(server.Endpoint);

        // Twelve exchanges 0.1 s apart: 1.2 s in all, more than twice the idle timeout, never quiet for long.
        for (int i = 0; i < 12; i++)
        {
            await client.SendAllAsync(Ascii("x"));
            Assert.Equal("x", Ascii(await client.ReadExactlyAsync(1)));
            await Task.Delay(100);
        }
        client.Shutdown(SocketShutdown.Send);
        Assert.Empty(await client.ReadToEndAsync());
        ClientClosed closed = (await server.Sink.WaitForAsync<ClientClosed>()).Single();
        Assert.Null(closed.Error);
    }

    // The listener closed this client: end of stream, or a reset when the close cut a pending read short.
    private static async Task ClosedByPeerAsync(Socket client)
    {
        try
        {
            Assert.Empty(await client.ReadToEndAsync());
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
        }
    }

    [Fact]
    public void Idle_timeout_is_the_one_quiet_client_limit_of_every_mode_and_wins_over_timeout_in_the_file_modes()
    {
        using var dir = new TempFolder();
        ListenerOptions Options(bool files, double? idle, double? timeout) =>
            new ListenRequest { Endpoint = "127.0.0.1:0", ReceiveFiles = files ? dir.Path : null, ClientIdleTimeout = idle, IdleTimeout = timeout }.Validate(s_names).Options;

        Assert.Equal(TimeSpan.FromSeconds(2), Options(files: true, idle: 2, timeout: 5).ClientIdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), Options(files: true, idle: null, timeout: 5).ClientIdleTimeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, Options(files: true, idle: 0, timeout: 5).ClientIdleTimeout); // 0: no silence limit
        Assert.Equal(TimeSpan.FromSeconds(2), Options(files: false, idle: 2, timeout: null).ClientIdleTimeout);
        Assert.Null(Options(files: false, idle: 0, timeout: 5).ClientIdleTimeout); // relay: 0 is never, --timeout is the relay's own rule
        Assert.Null(Options(files: false, idle: null, timeout: 5).ClientIdleTimeout);
    }

    private sealed class TempFolder : IDisposable
    {
        public TempFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nsock-session-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
        }
    }
}
