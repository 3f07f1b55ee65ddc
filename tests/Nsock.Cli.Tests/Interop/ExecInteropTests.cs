using System;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>nsock listen --exec / --sh-exec with nc clients: the program's stdout to the client, its stderr local.</summary>
public class ExecInteropTests
{
    [Fact]
    public async Task Nc_talks_to_a_python_program_behind_exec_whose_stderr_stays_on_the_listener()
    {
        const string program = "python3 -c \"import sys\nsys.stderr.write('local only\\n'); sys.stderr.flush()\nfor line in sys.stdin: print(line.strip().upper(), flush=True)\"";
        using RunningListener listener = await Nsock.ListenAsync("127.0.0.1:0", "-k", "--exec", program);
        for (int i = 0; i < 2; i++)
        {
            using ChildProcess nc = ChildProcess.Start("nc", new[] { "-N", "127.0.0.1", listener.Port.ToString() });
            await nc.WriteStdInAsync(Encoding.ASCII.GetBytes("hello\nworld\n"));
            Assert.Equal(0, await nc.WaitForExitAsync());
            Assert.Equal("HELLO\nWORLD\n", nc.StdOut.Text);
        }
        await listener.Process.StdErr.WaitForLineAsync(l => l == "local only");
        Assert.Equal(2, listener.Process.StdErr.Lines.Count(l => l == "local only"));
    }

    [Fact]
    public async Task Sh_exec_runs_a_shell_pipeline_and_exec_refuses_an_unknown_program_with_exit_2()
    {
        using (RunningListener listener = await Nsock.ListenAsync("127.0.0.1:0", "--sh-exec", "tr a-z A-Z | rev"))
        {
            using ChildProcess nc = ChildProcess.Start("nc", new[] { "-N", "127.0.0.1", listener.Port.ToString() });
            await nc.WriteStdInAsync(Encoding.ASCII.GetBytes("abc\n"));
            Assert.Equal(0, await nc.WaitForExitAsync());
            Assert.Equal("CBA\n", nc.StdOut.Text);
            Assert.Equal(0, await listener.Process.WaitForExitAsync()); // without -k: one client, then done
        }
        NsockResult r = await Nsock.RunAsync("listen", "127.0.0.1:0", "--exec", "nsock-no-such-program a b");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--exec: no program 'nsock-no-such-program'", r.StdErr);
    }

    [Fact]
    public async Task Connect_exec_runs_a_program_against_a_python_echo_server_and_ends_when_it_does()
    {
        using Peers.Server echo = await Peers.PythonEchoServerAsync();
        const string program = "python3 -c \"import sys\nprint('ping', flush=True)\nsys.stderr.write('got ' + sys.stdin.readline())\"";
        NsockResult r = await Nsock.RunAsync("connect", $"127.0.0.1:{echo.Port}", "--exec", program);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("got ping", r.StdErr);
        Assert.Empty(r.StdOut); // the program's stdout went to the peer
    }
}
