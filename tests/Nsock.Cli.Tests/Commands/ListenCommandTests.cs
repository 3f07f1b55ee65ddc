using System;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary><c>nsock listen</c>: echo many clients, or relay one client to stdin/stdout like <c>nc -l</c>.</summary>
public class ListenCommandTests
{
    [Fact]
    public async Task An_echo_listener_serves_several_clients_at_once_each_getting_its_own_bytes_back()
    {
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo");
        byte[][] payloads = Enumerable.Range(0, 6).Select(i => Data.Random(64 * 1024 + i)).ToArray();

        byte[][] replies = await Task.WhenAll(payloads.Select(p => Loopback.RoundTripAsync(echo.Port, p)));

        for (int i = 0; i < payloads.Length; i++) Assert.Equal(Data.Sha256(payloads[i]), Data.Sha256(replies[i]));
        Assert.False(echo.Process.HasExited, "an echo listener keeps serving after its clients leave");
    }

    [Fact]
    public async Task The_ready_line_goes_to_stdout_for_echo_and_to_stderr_when_stdout_carries_data()
    {
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo");
        using RunningListener relay = await Nsock.ListenAsync("127.0.0.1:0");

        Assert.True(echo.ReadyOnStdout);
        Assert.False(relay.ReadyOnStdout);
        Assert.Equal(0, relay.Process.StdOut.Length);
        Assert.Equal("127.0.0.1", echo.Ready.GetProperty("address").GetString());
        Assert.Equal($"tcp://127.0.0.1:{echo.Port}", echo.Ready.GetProperty("endpoint").GetString());
        Assert.NotEqual(0, echo.Port);
    }

    [Fact]
    public async Task A_relay_listener_writes_what_its_client_sent_to_stdout_byte_exact_and_exits_zero()
    {
        byte[] payload = Data.Random(512 * 1024);
        using RunningListener relay = await Nsock.ListenAsync("127.0.0.1:0");
        relay.Process.CloseStdIn(); // nothing to send back: the client gets a FIN at once

        byte[] back = await Loopback.RoundTripAsync(relay.Port, payload);
        int code = await relay.Process.WaitForExitAsync();

        Assert.Equal(0, code);
        Assert.Empty(back);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(relay.Process.StdOut.Bytes));
    }

    [Fact]
    public async Task A_relay_listener_sends_its_stdin_to_the_client()
    {
        byte[] payload = Data.Random(300_000);
        using RunningListener relay = await Nsock.ListenAsync("127.0.0.1:0");

        Task<byte[]> client = Loopback.RoundTripAsync(relay.Port, Encoding.ASCII.GetBytes("hi"));
        await relay.Process.WriteStdInAsync(payload);
        byte[] received = await client;

        Assert.Equal(0, await relay.Process.WaitForExitAsync());
        Assert.Equal(Data.Sha256(payload), Data.Sha256(received));
        Assert.Equal("hi", relay.Process.StdOut.Text);
    }

    [Fact]
    public async Task A_relay_listener_serves_one_client_and_then_stops_listening()
    {
        using RunningListener relay = await Nsock.ListenAsync("127.0.0.1:0");
        using Socket first = await Loopback.ConnectAsync(relay.Port);
        await relay.Process.StdErr.WaitForLineAsync(l => l.Contains("\"event\":\"connected\""));

        var second = await Assert.ThrowsAsync<SocketException>(() => Loopback.ConnectAsync(relay.Port));
        Assert.Equal(SocketError.ConnectionRefused, second.SocketErrorCode);
    }

    [Fact]
    public async Task Keep_open_relays_clients_one_after_another_to_stdout()
    {
        using RunningListener relay = await Nsock.ListenAsync("127.0.0.1:0", "-k");
        relay.Process.CloseStdIn();

        await Loopback.RoundTripAsync(relay.Port, Encoding.ASCII.GetBytes("first;"));
        await relay.Process.StdOut.WaitForBytesAsync(6);
        await Loopback.RoundTripAsync(relay.Port, Encoding.ASCII.GetBytes("second"));
        await relay.Process.StdOut.WaitForBytesAsync(12);

        Assert.Equal("first;second", relay.Process.StdOut.Text);
        Assert.False(relay.Process.HasExited);
    }

    [Fact]
    public async Task Keep_open_sends_stdin_to_every_connected_client()
    {
        using RunningListener relay = await Nsock.ListenAsync("127.0.0.1:0", "--keep-open");
        using Socket a = await Loopback.ConnectAsync(relay.Port);
        using Socket b = await Loopback.ConnectAsync(relay.Port);
        await relay.Process.StdErr.WaitForLineAsync(l => l.Contains("\"client\":2"));

        await relay.Process.WriteStdInAsync(Encoding.ASCII.GetBytes("to all"), close: false);

        Assert.Equal("to all", Encoding.ASCII.GetString(await Loopback.ReadExactlyAsync(a, 6)));
        Assert.Equal("to all", Encoding.ASCII.GetString(await Loopback.ReadExactlyAsync(b, 6)));
    }

    [Fact]
    public async Task An_explicit_timeout_ends_a_relay_whose_client_stays_silent_with_exit_code_4()
    {
        using RunningListener relay = await Nsock.ListenAsync("127.0.0.1:0", "-w", "1");
        relay.Process.CloseStdIn();
        using Socket silent = await Loopback.ConnectAsync(relay.Port);

        Assert.Equal(4, await relay.Process.WaitForExitAsync());
        Assert.Contains("\"kind\":\"TimedOut\"", relay.Process.StdErr.Text);
    }

    [Fact]
    public async Task Without_a_json_option_the_listener_says_where_it_listens_on_stderr()
    {
        using ChildProcess p = Nsock.Start("listen", "127.0.0.1:0", "--echo");

        string line = await p.StdErr.WaitForLineAsync(l => l.StartsWith("nsock: listening on tcp://127.0.0.1:", StringComparison.Ordinal));
        int port = int.Parse(line[(line.LastIndexOf(':') + 1)..]);

        Assert.Equal("still here", Encoding.ASCII.GetString(await Loopback.RoundTripAsync(port, Encoding.ASCII.GetBytes("still here"))));
        Assert.Equal(0, p.StdOut.Length);
    }

    [Fact]
    public async Task Verbose_reports_each_connection_and_its_byte_counts_on_stderr()
    {
        using ChildProcess p = Nsock.Start("listen", "127.0.0.1:0", "--echo", "-v");
        string line = await p.StdErr.WaitForLineAsync(l => l.StartsWith("nsock: listening on", StringComparison.Ordinal));
        int port = int.Parse(line[(line.LastIndexOf(':') + 1)..]);

        await Loopback.RoundTripAsync(port, new byte[1234]);

        await p.StdErr.WaitForLineAsync(l => l.StartsWith("nsock: connection 1 from 127.0.0.1:", StringComparison.Ordinal) && !l.Contains("closed"));
        string closed = await p.StdErr.WaitForLineAsync(l => l.Contains("closed:"));
        Assert.Contains("1234 bytes in, 1234 out", closed);
    }

    [Fact]
    public async Task Count_stops_an_echo_listener_after_that_many_clients()
    {
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo", "-n", "2");

        Assert.Equal("a", Encoding.ASCII.GetString(await Loopback.RoundTripAsync(echo.Port, Encoding.ASCII.GetBytes("a"))));
        Assert.Equal("b", Encoding.ASCII.GetString(await Loopback.RoundTripAsync(echo.Port, Encoding.ASCII.GetBytes("b"))));

        Assert.Equal(0, await echo.Process.WaitForExitAsync());
    }

    [Fact]
    public async Task Max_clients_makes_a_further_client_wait_until_a_slot_frees()
    {
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo", "--max-clients", "1");
        using Socket first = await Loopback.ConnectAsync(echo.Port);
        await first.SendAsync(Encoding.ASCII.GetBytes("1"));
        Assert.Equal("1", Encoding.ASCII.GetString(await Loopback.ReadExactlyAsync(first, 1)));

        using Socket second = await Loopback.ConnectAsync(echo.Port); // completes in the backlog, not yet served
        await second.SendAsync(Encoding.ASCII.GetBytes("2"));
        Task<int> secondEcho = second.ReceiveAsync(new byte[1]);
        Assert.NotSame(secondEcho, await Task.WhenAny(secondEcho, Task.Delay(400)));

        first.Shutdown(SocketShutdown.Send);
        await Loopback.ReadToEndAsync(first);

        Assert.Equal(1, await secondEcho.WaitAsync(ChildProcess.DefaultTimeout));
    }

    [Fact]
    public async Task Allow_serves_a_peer_inside_the_block()
    {
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo", "--allow", "127.0.0.0/8,::1");

        byte[] back = await Loopback.RoundTripAsync(echo.Port, Encoding.ASCII.GetBytes("let me in"));

        Assert.Equal("let me in", Encoding.ASCII.GetString(back));
    }

    [Fact]
    public async Task Allow_refuses_a_peer_outside_every_block_and_reports_why()
    {
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo", "--allow", "::1", "--allow", "198.51.100.0/24");

        byte[] back = await RefusedRoundTripAsync(echo.Port);

        Assert.Empty(back);
        string line = await echo.Process.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"rejected\""));
        Assert.Contains("not in the allow list", line);
    }

    [Fact]
    public async Task Deny_wins_over_allow_and_the_peer_gets_nothing_back()
    {
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo", "--allow", "127.0.0.0/8", "--deny", "127.0.0.1/32");

        byte[] back = await RefusedRoundTripAsync(echo.Port);

        Assert.Empty(back);
        string line = await echo.Process.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"rejected\""));
        Assert.Contains("denied by 127.0.0.1/32", line);
        Assert.DoesNotContain(echo.Process.StdOut.Lines, l => l.Contains("\"event\":\"connected\""));
    }

    [Fact]
    public async Task A_relay_listener_refuses_a_denied_peer_and_keeps_waiting_for_an_allowed_one()
    {
        using RunningListener relay = await Nsock.ListenAsync("127.0.0.1:0", "--deny", "127.0.0.1");

        byte[] back = await RefusedRoundTripAsync(relay.Port);
        await relay.Process.StdErr.WaitForLineAsync(l => l.Contains("\"event\":\"rejected\""));

        Assert.Empty(back);
        Assert.Equal(0, relay.Process.StdOut.Length);
        Assert.False(await relay.Process.ExitsWithinAsync(TimeSpan.FromMilliseconds(300)), "a refused peer must not end the listener");
    }

    // A refused peer is closed with a reset; depending on timing the client sees a reset or an empty stream.
    private static async Task<byte[]> RefusedRoundTripAsync(int port)
    {
        try
        {
            return await Loopback.RoundTripAsync(port, Encoding.ASCII.GetBytes("should not echo"));
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted)
        {
            return Array.Empty<byte>();
        }
    }
}
