using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>
/// --proxy socks5:// against Debian's microsocks, a real SOCKS5 server (scripts/test installs it), bound to 127.0.0.1:
/// bytes each way, user/password authentication, the target's name resolved by the proxy, a refused target.
/// </summary>
public sealed class MicrosocksInteropTests
{
    // microsocks ends the whole tunnel at the first FIN from either side (it passes no half-close on), so each
    // direction is checked on its own: a mebibyte sent, then a mebibyte received, each ended by the sender's close.
    [Fact]
    public async Task Send_through_microsocks_with_a_password_delivers_a_mebibyte_by_name()
    {
        using Microsocks proxy = await Microsocks.StartAsync("alice", "s3cret");
        using RunningListener sink = await Nsock.ListenAsync("127.0.0.1:0", "--recv-only");
        byte[] payload = Data.Random(1024 * 1024);

        NsockResult r = await Nsock.RunAsync(new[] { "send", $"localhost:{sink.Port}", "--proxy", $"socks5://alice:s3cret@127.0.0.1:{proxy.Port}" }, payload);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(0, await sink.Process.WaitForExitAsync());
        Assert.Equal(Data.Sha256(payload), Data.Sha256(sink.Process.StdOut.Bytes));
    }

    [Fact]
    public async Task Recv_through_microsocks_reads_a_mebibyte_a_socat_listener_serves()
    {
        using Microsocks proxy = await Microsocks.StartAsync(null, null);
        byte[] payload = Data.Random(1024 * 1024);
        using Peers.Server socat = await Peers.SocatListenAsync("-u", "STDIN", "TCP-LISTEN:0,bind=127.0.0.1");
        Task feed = socat.Process.WriteStdInAsync(payload);

        NsockResult r = await Nsock.RunAsync("recv", $"127.0.0.1:{socat.Port}", "--proxy", $"socks5://127.0.0.1:{proxy.Port}");

        await feed;
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(r.StdOut));
    }

    [Fact]
    public async Task Microsocks_refusing_the_password_exits_1_without_printing_it()
    {
        using Microsocks proxy = await Microsocks.StartAsync("alice", "s3cret");

        NsockResult r = await Nsock.RunAsync("send", "127.0.0.1:9", "x", "--proxy", $"socks5://alice:NotThePassword@127.0.0.1:{proxy.Port}");

        Assert.Equal(1, r.ExitCode);
        Assert.DoesNotContain("NotThePassword", r.StdErr);
        Assert.Contains("alice:***@127.0.0.1", r.StdErr);
    }

    [Fact]
    public async Task Microsocks_reports_a_refused_target_as_exit_3()
    {
        using Microsocks proxy = await Microsocks.StartAsync(null, null);
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0)); // bound, never listening: connects to it are refused
        int closed = ((IPEndPoint)holder.LocalEndPoint!).Port;

        NsockResult r = await Nsock.RunAsync("send", $"127.0.0.1:{closed}", "x", "--proxy", $"socks5://127.0.0.1:{proxy.Port}");

        Assert.Equal(3, r.ExitCode);
        Assert.Contains("(SOCKS5 reply 5)", r.StdErr);
    }

    /// <summary>microsocks on 127.0.0.1 and a port that was free a moment ago (it takes no port 0); ready once it accepts a connection.</summary>
    private sealed class Microsocks : IDisposable
    {
        private readonly ChildProcess _process;

        private Microsocks(ChildProcess process, int port)
        {
            _process = process;
            Port = port;
        }

        public int Port { get; }

        public static async Task<Microsocks> StartAsync(string? user, string? password)
        {
            for (int attempt = 0; ; attempt++)
            {
                int port;
                using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
                {
                    probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                    port = ((IPEndPoint)probe.LocalEndPoint!).Port;
                }
                string[] args = user is null
                    ? new[] { "-i", "127.0.0.1", "-p", port.ToString() }
                    : new[] { "-i", "127.0.0.1", "-p", port.ToString(), "-u", user, "-P", password! };
                ChildProcess p = ChildProcess.Start("microsocks", args);
                if (await AcceptsAsync(port, p)) return new Microsocks(p, port);
                p.Dispose();
                if (attempt == 4) throw new InvalidOperationException($"microsocks did not start on 127.0.0.1:{port}: {p.StdErr.Text}");
            }
        }

        // Polls (bounded) until a connect succeeds; false if microsocks exited (port taken meanwhile) or never listened.
        private static async Task<bool> AcceptsAsync(int port, ChildProcess p)
        {
            DateTime deadline = DateTime.UtcNow + ChildProcess.DefaultTimeout;
            while (DateTime.UtcNow < deadline && !p.HasExited)
            {
                using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await s.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
                    return true;
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException)
                {
                    await Task.Delay(50);
                }
            }
            return false;
        }

        public void Dispose() => _process.Dispose();
    }
}
