using System;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

// --exec / --sh-exec: a program per client, its stdin and stdout the client's stream, ended and reaped however the
// connection ends. The programs are python3 one-liners (a real, independent program on both sides of the pipes).
public class ExecListenerTests
{
    private const string Echo = "python3 -c 'import sys\nwhile True:\n  b = sys.stdin.buffer.read1(65536)\n  if not b: break\n  sys.stdout.buffer.write(b); sys.stdout.flush()'";

    private static ListenerOptions Exec(string? exec = null, string? shExec = null, bool keepOpen = true) =>
        new ListenRequest { Endpoint = "127.0.0.1:0", Exec = exec, ShExec = shExec, KeepOpen = keepOpen }.Validate(PlainOptionNames.Instance).Options;

    [LinuxFact]
    public async Task A_python_echo_program_behind_exec_serves_each_client_with_its_own_process()
    {
        byte[] payload = Payload.Bytes(300_000, seed: 170);
        await using RunningListener server = await RunningListener.StartAsync(Exec(Echo));
        using Socket a = await Loopback.ConnectAsync(server.Endpoint);
        using Socket b = await Loopback.ConnectAsync(server.Endpoint);

        Task<byte[]> first = a.RoundTripAsync(payload);
        Assert.Equal("second", Encoding.ASCII.GetString(await b.RoundTripAsync(Encoding.ASCII.GetBytes("second"))));
        Assert.Equal(Payload.Sha256(payload), Payload.Sha256(await first));
        var closed = await server.Sink.WaitForAsync<ClientClosed>(2);
        Assert.All(closed, c => Assert.Null(c.Error));
        Assert.Contains(closed, c => c.BytesReceived == payload.Length && c.BytesSent == payload.Length);
    }

    [LinuxFact]
    public async Task Exec_splits_arguments_without_a_shell_and_sh_exec_uses_one()
    {
        const string printArgs = "python3 -c \"import sys; print('|'.join(sys.argv[1:]))\"";
        await using (RunningListener server = await RunningListener.StartAsync(Exec(printArgs + " 'two words' \"it's\" back\\ slash '$HOME' '*' \"a \\\"q\\\"\"")))
        {
            using Socket c = await Loopback.ConnectAsync(server.Endpoint);
            Assert.Equal("two words|it's|back slash|$HOME|*|a \"q\"\n", Encoding.UTF8.GetString(await c.RoundTripAsync(Array.Empty<byte>())));
        }
        await using (RunningListener server = await RunningListener.StartAsync(Exec(shExec: "echo \"$NSOCK_PEER\" | cut -d: -f1; echo x >&2")))
        {
            using Socket c = await Loopback.ConnectAsync(server.Endpoint);
            Assert.Equal("127.0.0.1\n", Encoding.UTF8.GetString(await c.RoundTripAsync(Array.Empty<byte>())));
        }
    }

    [LinuxFact]
    public async Task Exec_arguments_given_one_by_one_reach_the_program_as_they_are()
    {
        // The module's -Exec 'python3','-c',...: no splitting, so spaces, quotes, globs, $ and an empty word stay.
        ListenerOptions options = new ListenRequest
        {
            Endpoint = "127.0.0.1:0",
            ExecArguments = new[] { "python3", "-c", "import sys; print('|'.join(sys.argv[1:]))", "two words", "it's \"q\"", "$HOME", "*", "" },
        }.Validate(PlainOptionNames.Instance).Options;
        Assert.Equal(ListenerMode.Exec, options.Mode);
        Assert.StartsWith("/", options.Exec![0]); // found in PATH before binding
        await using RunningListener server = await RunningListener.StartAsync(options);
        using Socket c = await Loopback.ConnectAsync(server.Endpoint);
        Assert.Equal("two words|it's \"q\"|$HOME|*|\n", Encoding.UTF8.GetString(await c.RoundTripAsync(Array.Empty<byte>())));
    }

    [Theory]
    [InlineData(new string[0], "needs a program")]
    [InlineData(new[] { "" }, "needs a program")]
    [InlineData(new[] { "no-such-program-nsock", "x" }, "no program 'no-such-program-nsock'")]
    [InlineData(new[] { "python3", "a\0b" }, "NUL")]
    public void Exec_arguments_that_cannot_run_are_refused_before_binding(string[] argv, string why)
    {
        var e = Assert.Throws<NsockException>(() => new ListenRequest { Endpoint = "127.0.0.1:0", ExecArguments = argv }.Validate(PlainOptionNames.Instance));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void Exec_as_a_line_and_as_arguments_exclude_each_other_and_the_shell_line()
    {
        var twice = Assert.Throws<NsockException>(() => new ListenRequest { Endpoint = "0", Exec = "cat", ExecArguments = new[] { "cat" } }.Validate(PlainOptionNames.Instance));
        Assert.Contains("given twice", twice.Message);
        var withShell = Assert.Throws<NsockException>(() => new ListenRequest { Endpoint = "0", ShExec = "cat", ExecArguments = new[] { "cat" } }.Validate(PlainOptionNames.Instance));
        Assert.Contains("exclude each other", withShell.Message);
    }

    [LinuxFact]
    public async Task A_program_that_exits_early_ends_the_connection_after_its_output_and_the_listener_goes_on()
    {
        await using RunningListener server = await RunningListener.StartAsync(Exec("python3 -c \"print('bye')\""));
        for (int i = 0; i < 2; i++)
        {
            using Socket c = await Loopback.ConnectAsync(server.Endpoint);
            await c.SendAllAsync(new byte[1000]); // the program never reads it
            Assert.Equal("bye\n", Encoding.ASCII.GetString(await c.ReadToEndAsync()));
        }
        Assert.Equal(2, (await server.Sink.WaitForAsync<ClientClosed>(2)).Count);
    }

    [LinuxFact]
    public async Task A_client_that_leaves_early_gets_its_program_killed_and_reaped()
    {
        const string sleeper = "python3 -c \"import os, time\nprint(os.getpid(), flush=True)\nwhile True:\n  time.sleep(0.05)\n  print('tick', flush=True)\"";
        await using RunningListener server = await RunningListener.StartAsync(Exec(sleeper));
        int pid;
        using (Socket c = await Loopback.ConnectAsync(server.Endpoint))
        {
            using var reader = new StreamReader(new NetworkStream(c, ownsSocket: false));
            pid = int.Parse(await reader.ReadLineAsync() ?? "0");
            Assert.True(Directory.Exists($"/proc/{pid}"));
            c.Reset();
        }
        ClientClosed closed = (await server.Sink.WaitForAsync<ClientClosed>()).Single();
        Assert.NotNull(closed.Error);
        // Gone from the process table, not a zombie: ended and reaped.
        DateTime deadline = DateTime.UtcNow + Limits.Wait;
        while (Directory.Exists($"/proc/{pid}") && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.False(Directory.Exists($"/proc/{pid}"), $"process {pid} is still in the process table (running, or a zombie nobody reaped)");
    }

    [Theory]
    [InlineData("no-such-program-nsock --x", "no program 'no-such-program-nsock'")]
    [InlineData("'unclosed", "unclosed '")]
    [InlineData("   ", "needs a program")]
    public void A_program_that_cannot_be_run_is_refused_before_binding(string exec, string why)
    {
        var e = Assert.Throws<NsockException>(() => Exec(exec));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void Exec_is_a_mode_of_its_own()
    {
        Assert.Contains("exclude each other", Assert.Throws<NsockException>(() => new ListenRequest { Endpoint = "0", Exec = "cat", ShExec = "cat" }.Validate(PlainOptionNames.Instance)).Message);
        Assert.Contains("mode of its own", Assert.Throws<NsockException>(() => new ListenRequest { Endpoint = "0", Exec = "cat", Echo = true }.Validate(PlainOptionNames.Instance)).Message);
        Assert.Contains("do not apply", Assert.Throws<NsockException>(() => new ListenRequest { Endpoint = "0", Exec = "cat", Udp = true }.Validate(PlainOptionNames.Instance)).Message);
    }

    [LinuxFact]
    public async Task Connect_exec_runs_a_program_against_the_peer_with_half_close_both_ways()
    {
        using Socket listener = Loopback.ListenTcp();
        ConnectPlan plan = new ConnectRequest { Target = new ConnectTarget { Endpoint = $"127.0.0.1:{listener.Port()}" }, Exec = "python3 -c \"import sys\nprint('hello from the program', flush=True)\nprint(sys.stdin.read().upper(), end='')\"" }
            .Validate(PlainOptionNames.Instance);
        Task<RelayResult> running = plan.RunAsync(null, null, new RecordingSink(), default);
        using Socket peer = await listener.AcceptBoundedAsync();
        using var reader = new StreamReader(new NetworkStream(peer, ownsSocket: false));
        Assert.Equal("hello from the program", await reader.ReadLineAsync());
        await peer.SendAllAsync(Encoding.ASCII.GetBytes("shout this"));
        peer.Shutdown(SocketShutdown.Send); // the program reads its end of input, then answers
        Assert.Equal("SHOUT THIS", await reader.ReadToEndAsync());
        RelayResult r = await running.WaitAsync(Limits.Wait);
        Assert.True(r.Succeeded, r.Error?.Message);
        Assert.Equal(10, r.BytesReceived);
    }
}
