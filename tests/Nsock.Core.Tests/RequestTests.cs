using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

// The rules of the connecting verbs, written once in the engine's requests and named in each face's spelling.
public class RequestTests
{
    // A face's spelling, as the command and the module supply theirs.
    private sealed class Dashes : IOptionNames
    {
        public string Option(NsockOption option) => "-" + option;

        public string Verb(NsockVerb verb) => verb + "-Verb";
    }

    private static readonly IOptionNames s_names = new Dashes();

    private static ConnectTarget Tcp(double? timeout = null) => new() { Host = "127.0.0.1", Port = 9, Timeout = timeout };

    [Fact]
    public void Send_connects_within_ten_seconds_and_waits_ten_for_the_peer_by_default()
    {
        SendPlan p = new SendRequest { Target = Tcp() }.Validate(s_names);
        Assert.Equal(TimeSpan.FromSeconds(10), p.Options.Connect.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(10), p.Options.ReplyTimeout);
        Assert.Equal(new Endpoint(Transport.Tcp, "127.0.0.1", 9), p.Endpoint);
    }

    [Fact]
    public void A_zero_timeout_never_times_out()
    {
        SendPlan p = new SendRequest { Target = Tcp(0) }.Validate(s_names);
        Assert.Equal(Timeout.InfiniteTimeSpan, p.Options.Connect.Timeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, p.Options.ReplyTimeout);
        Assert.Null(new ReceiveRequest { Target = Tcp(0) }.Validate(s_names).Options.IdleTimeout);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(1e18)]
    [InlineData(4294967296)]
    [InlineData(9223372036854775807)]
    [InlineData(1e308)]
    [InlineData(2147484)]
    public void A_bad_timeout_is_bad_input_named_in_the_face_s_spelling(double seconds)
    {
        var e = Assert.Throws<NsockException>(() => new SendRequest { Target = Tcp(seconds) }.Validate(s_names));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.StartsWith("-Timeout must be 0 or a positive number of seconds", e.Message);
    }

    [Fact]
    public void The_largest_timeout_the_timers_hold_is_accepted()
    {
        SendPlan p = new SendRequest { Target = Tcp(ConnectTarget.MaxTimeoutSeconds) }.Validate(s_names);
        Assert.Equal(TimeSpan.FromSeconds(2_147_483), p.Options.ReplyTimeout);
    }

    [Fact]
    public void A_unix_socket_path_longer_than_sun_path_is_bad_input_naming_its_length()
    {
        string path = "/tmp/" + new string('a', 103);
        var e = Assert.Throws<NsockException>(() => new SendRequest { Target = new ConnectTarget { Endpoint = "unix:" + path } }.Validate(s_names));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.StartsWith("unix socket path is 108 bytes", e.Message);
        Assert.Equal(Transport.Unix, new SendRequest { Target = new ConnectTarget { Endpoint = "unix:/tmp/" + new string('a', 90) } }.Validate(s_names).Endpoint.Transport);
    }

    [Fact]
    public void Host_and_port_or_an_endpoint_but_not_both_and_not_neither()
    {
        Assert.Contains("-Endpoint alone", Assert.Throws<NsockException>(() => new SendRequest { Target = new ConnectTarget { Endpoint = "h:1", Host = "h", Port = 1 } }.Validate(s_names)).Message);
        Assert.Equal("give -Host and -Port, or -Endpoint", Assert.Throws<NsockException>(() => new SendRequest { Target = new ConnectTarget() }.Validate(s_names)).Message);
        Assert.Contains("give -Port", Assert.Throws<NsockException>(() => new SendRequest { Target = new ConnectTarget { Host = "h" } }.Validate(s_names)).Message);
        Assert.Equal(new Endpoint(Transport.Tcp, "::1", 80), new SendRequest { Target = new ConnectTarget { Host = "::1", Port = 80 } }.Validate(s_names).Endpoint);
    }

    [Fact]
    public void The_udp_flag_makes_a_bare_endpoint_udp_and_must_agree_with_a_scheme()
    {
        Assert.Equal(Transport.Udp, new SendRequest { Target = new ConnectTarget { Endpoint = "127.0.0.1:7", Udp = true } }.Validate(s_names).Endpoint.Transport);
        var e = Assert.Throws<NsockException>(() => new SendRequest { Target = new ConnectTarget { Endpoint = "tcp://127.0.0.1:7", Udp = true } }.Validate(s_names));
        Assert.Equal("'tcp://127.0.0.1:7' names a tcp endpoint, but -Udp was given", e.Message);
    }

    [Fact]
    public void IPv4_and_IPv6_exclude_each_other()
    {
        var e = Assert.Throws<NsockException>(() => new SendRequest { Target = Tcp() with { IPv4 = true, IPv6 = true } }.Validate(s_names));
        Assert.Equal("-IPv4 and -IPv6 exclude each other: give one", e.Message);
        Assert.Equal(IpVersion.V6, new SendRequest { Target = Tcp() with { IPv6 = true } }.Validate(s_names).Options.Connect.IpVersion);
    }

    [Fact]
    public void Receive_stops_on_bytes_or_a_delimiter_and_gives_up_after_ten_silent_seconds()
    {
        ReceivePlan p = new ReceiveRequest { Target = Tcp(), ByteLimit = 64, Until = new byte[] { 13, 10 } }.Validate(s_names);
        Assert.Equal(64, p.Options.MaxBytes);
        Assert.Equal(new byte[] { 13, 10 }, p.Options.Until);
        Assert.Equal(TimeSpan.FromSeconds(10), p.Options.IdleTimeout);
    }

    [Fact]
    public void Receive_reads_streams_only_and_says_what_to_use_for_udp_in_the_face_s_words()
    {
        var e = Assert.Throws<NsockException>(() => new ReceiveRequest { Target = new ConnectTarget { Endpoint = "udp://127.0.0.1:9" } }.Validate(s_names));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Equal("Receive-Verb reads a stream (tcp or unix); for UDP use Send-Verb -Udp -Reply or Listen-Verb -Udp", e.Message);
        Assert.Equal(Transport.Unix, new ReceiveRequest { Target = new ConnectTarget { Endpoint = "unix:/tmp/s" } }.Validate(s_names).Endpoint.Transport);
        Assert.Equal("-ByteLimit must be 0 or more, not -1", Assert.Throws<NsockException>(() => new ReceiveRequest { Target = Tcp(), ByteLimit = -1 }.Validate(s_names)).Message);
        Assert.Equal("-Until is empty", Assert.Throws<NsockException>(() => new ReceiveRequest { Target = Tcp(), Until = Array.Empty<byte>() }.Validate(s_names)).Message);
    }

    [Fact]
    public async Task Receive_outcome_is_a_timeout_on_silence_and_an_io_error_on_an_early_close_with_the_bytes_kept()
    {
        using Socket listener = Loopback.ListenTcp();
        Task<Socket> accepting = listener.AcceptBoundedAsync();
        ReceivePlan plan = new ReceiveRequest { Target = new ConnectTarget { Host = "127.0.0.1", Port = listener.Port(), Timeout = 0.3 } }.Validate(s_names);
        var output = new MemoryStream();
        var sink = new RecordingSink();
        Task<ReceiveOutcome> receiving = plan.RunAsync(output, sink, CancellationToken.None);
        using (Socket peer = await accepting)
        {
            peer.Send(Encoding.ASCII.GetBytes("abc"));
            ReceiveOutcome silent = await receiving.WaitAsync(Limits.Wait);
            Assert.Equal(NsockErrorKind.TimedOut, silent.Error?.Kind);
            Assert.Equal("timed out after 0.3s of silence waiting for the peer to close (3 bytes received)", silent.Error?.Message);
            Assert.Equal("abc", Encoding.ASCII.GetString(output.ToArray()));
            Assert.Single(sink.Of<Connected>());
        }

        accepting = listener.AcceptBoundedAsync();
        plan = new ReceiveRequest { Target = new ConnectTarget { Host = "127.0.0.1", Port = listener.Port() }, ByteLimit = 10 }.Validate(s_names);
        receiving = plan.RunAsync(new MemoryStream(), NullEventSink.Instance, CancellationToken.None);
        using (Socket peer = await accepting)
        {
            peer.Send(Encoding.ASCII.GetBytes("abc"));
            peer.Shutdown(SocketShutdown.Send);
            ReceiveOutcome early = await receiving.WaitAsync(Limits.Wait);
            Assert.False(early.Succeeded);
            Assert.Equal(NsockErrorKind.Io, early.Error?.Kind);
            Assert.Equal("the peer closed after 3 bytes, before 10 bytes", early.Error?.Message);
        }
    }

    [Fact]
    public void Ping_defaults_are_the_engine_s_and_its_timeout_is_per_probe()
    {
        PingOptions o = new PingRequest { Target = new ConnectTarget { Host = "127.0.0.1", Port = 9999 } }.Validate(s_names).Options;
        var engine = new PingOptions();
        Assert.Equal(new Endpoint(Transport.Udp, "127.0.0.1", 9999), o.Endpoint);
        Assert.Equal(engine.Count, o.Count);
        Assert.Equal(engine.Interval, o.Interval);
        Assert.Equal(engine.Size, o.Size);
        Assert.Equal(engine.Timeout, o.Timeout);
        Assert.Equal(0, o.Warmup);
        Assert.Null(o.Payload);
    }

    [Fact]
    public void Ping_uses_given_values_and_sizes_a_payload_to_fit()
    {
        PingOptions o = new PingRequest { Target = new ConnectTarget { Endpoint = "127.0.0.1:7", Timeout = 0.5, IPv4 = true }, Count = 100, Interval = 0, Size = 512, Warmup = 2 }.Validate(s_names).Options;
        Assert.Equal(100, o.Count);
        Assert.Equal(TimeSpan.Zero, o.Interval);
        Assert.Equal(512, o.Size);
        Assert.Equal(TimeSpan.FromMilliseconds(500), o.Timeout);
        Assert.Equal(2, o.Warmup);
        Assert.Equal(IpVersion.V4, o.IpVersion);
        Assert.Equal(PingOptions.HeaderSize + 3, new PingRequest { Target = new ConnectTarget { Endpoint = "127.0.0.1:7" }, Payload = new byte[] { 1, 2, 3 } }.Validate(s_names).Options.Size);
        Assert.Equal(64, new PingRequest { Target = new ConnectTarget { Endpoint = "127.0.0.1:7" }, Payload = new byte[] { 1 }, Size = 64 }.Validate(s_names).Options.Size);
    }

    [Fact]
    public void Ping_bad_values_are_named_in_the_face_s_spelling()
    {
        ConnectTarget t = new() { Endpoint = "127.0.0.1:7" };
        Assert.Equal("'udp://127.0.0.1:7' names a udp endpoint, but -Tcp was given", Assert.Throws<NsockException>(() => new PingRequest { Target = t with { Endpoint = "udp://127.0.0.1:7" }, Tcp = true }.Validate(s_names)).Message);
        Assert.StartsWith("-Interval must be 0 or a positive number of seconds", Assert.Throws<NsockException>(() => new PingRequest { Target = t, Interval = -1 }.Validate(s_names)).Message);
        Assert.Equal("-Count must be at least 1, not 0", Assert.Throws<NsockException>(() => new PingRequest { Target = t, Count = 0 }.Validate(s_names)).Message);
        Assert.Equal("-Payload is empty", Assert.Throws<NsockException>(() => new PingRequest { Target = t, Payload = Array.Empty<byte>() }.Validate(s_names)).Message);
        Assert.StartsWith("-Size 5 is outside 12-65507 bytes", Assert.Throws<NsockException>(() => new PingRequest { Target = t, Size = 5 }.Validate(s_names)).Message);
        Assert.Contains("-Timeout must be more than 0", Assert.Throws<NsockException>(() => new PingRequest { Target = t with { Timeout = 0 } }.Validate(s_names)).Message);
    }

    [Fact]
    public async Task Ping_with_no_reply_at_all_is_refused_or_timed_out()
    {
        int closed;
        using (var u = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            u.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
            closed = ((System.Net.IPEndPoint)u.LocalEndPoint!).Port;
        }
        PingPlan plan = new PingRequest { Target = new ConnectTarget { Host = "127.0.0.1", Port = closed, Timeout = 0.3 }, Count = 2, Interval = 0 }.Validate(s_names);
        PingOutcome o = await plan.RunAsync(NullEventSink.Instance, CancellationToken.None).WaitAsync(Limits.Wait);
        Assert.Equal(0, o.Summary.Received);
        Assert.Equal(NsockErrorKind.Refused, o.Error?.Kind);
    }

    [Fact]
    public void Connect_relays_both_ways_unless_told_and_its_one_way_flags_exclude_each_other()
    {
        ConnectPlan p = new ConnectRequest { Target = Tcp() }.Validate(s_names);
        Assert.Equal(RelayDirection.Both, p.Relay.Direction);
        Assert.True(p.Relay.ShutdownOnInputEnd);
        Assert.Equal(TimeSpan.FromSeconds(10), p.Relay.IdleTimeout);
        Assert.Null(p.Relay.WaitAfterInputEnds);
        Assert.Equal(RelayDirection.ReceiveOnly, new ConnectRequest { Target = Tcp(), ReceiveOnly = true }.Validate(s_names).Relay.Direction);
        Assert.Equal(TimeSpan.FromSeconds(1.5), new ConnectRequest { Target = Tcp(), WaitAfterInputEnds = 1.5 }.Validate(s_names).Relay.WaitAfterInputEnds);
        Assert.Equal("-SendOnly and -ReceiveOnly exclude each other", Assert.Throws<NsockException>(() => new ConnectRequest { Target = Tcp(), SendOnly = true, ReceiveOnly = true }.Validate(s_names)).Message);
        Assert.StartsWith("-WaitAfterInputEnds must be 0 or a positive number of seconds", Assert.Throws<NsockException>(() => new ConnectRequest { Target = Tcp(), WaitAfterInputEnds = -1 }.Validate(s_names)).Message);
        Assert.Null(new ConnectRequest { Target = Tcp(0) }.Validate(s_names).Relay.IdleTimeout);
    }

    [Fact]
    public async Task Connect_reports_connected_and_closed_with_the_bytes_each_way()
    {
        using Socket listener = Loopback.ListenTcp();
        Task<Socket> accepting = listener.AcceptBoundedAsync();
        ConnectPlan plan = new ConnectRequest { Target = new ConnectTarget { Host = "127.0.0.1", Port = listener.Port() } }.Validate(s_names);
        var output = new MemoryStream();
        var sink = new RecordingSink();
        Task<RelayResult> relaying = plan.RunAsync(new MemoryStream(Encoding.ASCII.GetBytes("ping")), output, sink, CancellationToken.None);
        using (Socket peer = await accepting)
        {
            byte[] got = await peer.ReadToEndAsync();
            Assert.Equal("ping", Encoding.ASCII.GetString(got));
            peer.Send(Encoding.ASCII.GetBytes("pong!"));
            peer.Shutdown(SocketShutdown.Send);
        }
        RelayResult r = await relaying.WaitAsync(Limits.Wait);
        Assert.True(r.Succeeded);
        Assert.Equal("pong!", Encoding.ASCII.GetString(output.ToArray()));
        Assert.Single(sink.Of<Connected>());
        ClientClosed closed = Assert.Single(sink.Of<ClientClosed>());
        Assert.Equal(4, closed.BytesSent);
        Assert.Equal(5, closed.BytesReceived);
    }

    [Fact]
    public void Listen_defaults_and_rules_are_written_once_and_named_in_the_face_s_spelling()
    {
        ListenerOptions o = new ListenRequest { Port = 0 }.Validate(s_names).Options;
        Assert.True(o.Endpoint.IsAnyHost);
        Assert.Equal(ListenerMode.Relay, o.Mode);
        Assert.Equal(ListenerOptions.DefaultMaxClients, o.MaxClients);
        Assert.Null(o.Relay.IdleTimeout);
        Assert.Same(s_names, o.Names);
        Assert.True(new ListenRequest { Port = 0, Echo = true }.Validate(s_names).Options.KeepOpen);
        Assert.Equal(TimeSpan.FromSeconds(3), new ListenRequest { Port = 0, IdleTimeout = 3 }.Validate(s_names).Options.Relay.IdleTimeout);
        Assert.Null(new ListenRequest { Port = 0, IdleTimeout = 0 }.Validate(s_names).Options.Relay.IdleTimeout);

        string Bad(ListenRequest r) => Assert.Throws<NsockException>(() => r.Validate(s_names)).Message;
        Assert.Equal("-MaxClients must be at least 1, not 0", Bad(new ListenRequest { Port = 0, MaxClients = 0 }));
        Assert.Equal("-ClientCount must be at least 1, not 0", Bad(new ListenRequest { Port = 0, ClientCount = 0 }));
        Assert.Equal("-Echo, -ReceiveFiles, -ServeFiles, -Broker, -Chat and -ForwardTo exclude each other", Bad(new ListenRequest { Port = 0, Echo = true, ServeFiles = "/srv" }));
        Assert.Equal("-Overwrite, -FilesByteLimit and -Fsync apply to -ReceiveFiles", Bad(new ListenRequest { Port = 0, Overwrite = true }));
        Assert.StartsWith("-Input, -SendOnly and -NoShutdown apply to the relay mode", Bad(new ListenRequest { Port = 0, Echo = true, HasInput = true }));
        Assert.Equal("-SendOnly and -ReceiveOnly exclude each other", Bad(new ListenRequest { Port = 0, SendOnly = true, ReceiveOnly = true }));
        Assert.Equal("'tcp://127.0.0.1:0' names a tcp endpoint, but -Udp was given", Bad(new ListenRequest { Endpoint = "tcp://127.0.0.1:0", Udp = true }));
        Assert.Equal("give -Port or -Endpoint", Bad(new ListenRequest()));
    }

    [Fact]
    public void Plain_names_serve_callers_without_a_face()
    {
        Assert.Equal("byte-limit", PlainOptionNames.Instance.Option(NsockOption.ByteLimit));
        Assert.Equal("ipv4", PlainOptionNames.Instance.Option(NsockOption.IPv4));
        Assert.Equal("send-files", PlainOptionNames.Instance.Verb(NsockVerb.SendFiles));
    }
}
