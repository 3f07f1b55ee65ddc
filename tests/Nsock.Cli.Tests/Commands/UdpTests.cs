using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>UDP: <c>listen --udp</c> echoing or printing datagrams, <c>send --udp</c> with and without --reply.</summary>
public class UdpTests
{
    [Fact]
    public async Task Send_udp_with_reply_gets_its_datagram_back_from_an_udp_echo_listener()
    {
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--udp", "--echo");

        NsockResult r = await Nsock.RunAsync("send", "--udp", $"127.0.0.1:{echo.Port}", "ping", "--reply");

        Assert.Equal("udp", echo.Ready.GetProperty("transport").GetString());
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("ping", r.Out);
    }

    [Fact]
    public async Task The_udp_scheme_works_without_the_udp_option()
    {
        using RunningListener echo = await Nsock.ListenAsync("udp://127.0.0.1:0", "--echo");

        NsockResult r = await Nsock.RunAsync("send", $"udp://127.0.0.1:{echo.Port}", "scheme", "-r");

        Assert.Equal("scheme", r.Out);
    }

    [Fact]
    public async Task An_udp_echo_listener_reports_each_datagram_with_json()
    {
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--udp", "--echo");

        await Nsock.RunAsync("send", "-u", $"127.0.0.1:{echo.Port}", "12345", "-r");

        string line = await echo.Process.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"datagram\""));
        Assert.Contains("\"bytes\":5", line);
    }

    [Fact]
    public async Task A_udp_relay_listener_writes_each_datagram_to_stdout_and_answers_with_stdin()
    {
        using RunningListener relay = await Nsock.ListenAsync("127.0.0.1:0", "--udp");
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        await client.SendAsync(Encoding.ASCII.GetBytes("datagram one"), new IPEndPoint(IPAddress.Loopback, relay.Port));
        await relay.Process.StdOut.WaitForBytesAsync(12);
        await relay.Process.WriteStdInAsync(Encoding.ASCII.GetBytes("answer"), close: false);
        UdpReceiveResult answer = await client.ReceiveAsync().WaitAsync(ChildProcess.DefaultTimeout);

        Assert.Equal("datagram one", relay.Process.StdOut.Text);
        Assert.Equal("answer", Encoding.ASCII.GetString(answer.Buffer));
    }

    [Fact]
    public async Task Send_udp_splits_input_larger_than_a_datagram_and_collects_every_echo()
    {
        byte[] payload = Data.Random(150_000);
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--udp", "--echo");

        NsockResult r = await Nsock.RunAsync(new[] { "send", "-u", $"127.0.0.1:{echo.Port}", "-r", "--json" }, payload);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(r.StdOut));
        Assert.Contains("\"peerClosed\":true", r.StdErr); // every datagram was answered
    }

    [Fact]
    public async Task Connect_udp_relays_stdin_as_datagrams_and_prints_the_echo()
    {
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--udp", "--echo");

        NsockResult r = await Nsock.RunAsync(new[] { "connect", "--udp", $"127.0.0.1:{echo.Port}", "-q", "1" }, Encoding.ASCII.GetBytes("one datagram"));

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("one datagram", r.Out);
    }

    [Fact]
    public async Task Connect_udp_ends_normally_when_the_peer_falls_silent_after_stdin_ends()
    {
        // UDP has no end of stream: silence after the last reply is how a datagram exchange ends, not a failure.
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--udp", "--echo");

        NsockResult r = await Nsock.RunAsync(new[] { "connect", "-u", $"127.0.0.1:{echo.Port}", "-w", "1" }, Encoding.ASCII.GetBytes("x"));

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("x", r.Out);
    }

    [Fact]
    public async Task Send_udp_of_empty_input_sends_one_empty_datagram()
    {
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--udp", "--echo");

        NsockResult r = await Nsock.RunAsync("send", "-u", $"127.0.0.1:{echo.Port}", "-r", "-w", "2", "--json");

        Assert.Equal(0, r.ExitCode);
        string line = await echo.Process.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"datagram\""));
        Assert.Contains("\"bytes\":0", line);
        Assert.Contains("\"peerClosed\":true", r.StdErr); // the one empty datagram was answered
    }

    [Fact]
    public async Task Count_stops_an_udp_listener_after_that_many_datagrams()
    {
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--udp", "--echo", "-n", "2");

        await Nsock.RunAsync("send", "-u", $"127.0.0.1:{echo.Port}", "1", "-r");
        await Nsock.RunAsync("send", "-u", $"127.0.0.1:{echo.Port}", "2", "-r");

        Assert.Equal(0, await echo.Process.WaitForExitAsync());
    }

    [Fact]
    public async Task A_denied_udp_sender_gets_no_answer_and_is_reported()
    {
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--udp", "--echo", "--deny", "127.0.0.0/8");

        NsockResult r = await Nsock.RunAsync("send", "-u", $"127.0.0.1:{echo.Port}", "hello?", "-r", "-w", "1");

        Assert.Empty(r.StdOut);
        string line = await echo.Process.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"rejected\""));
        Assert.Contains("denied by 127.0.0.0/8", line);
    }

    [Fact]
    public async Task Udp_with_reply_to_a_closed_port_is_refused_with_exit_code_3()
    {
        int port;
        using (var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0))) port = ((IPEndPoint)probe.Client.LocalEndPoint!).Port;

        NsockResult r = await Nsock.RunAsync("send", "-u", $"127.0.0.1:{port}", "anyone", "-r", "-w", "2");

        Assert.Equal(3, r.ExitCode);
        Assert.Contains("refused", r.StdErr);
    }
}
