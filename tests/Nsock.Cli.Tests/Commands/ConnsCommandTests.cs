using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>
/// nsock conns against loopback connections this test holds, compared with ss -tanp on the same port: the same
/// sockets, the same states, and this process as their owner. Every run filters on the test's own port, so other
/// tests' sockets never change the counts.
/// </summary>
public sealed class ConnsCommandTests
{
    private const int SIGINT = 2;

    private sealed class Held : IDisposable
    {
        public Socket Listener { get; } = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        public List<Socket> Sockets { get; } = new();

        public int Port => ((IPEndPoint)Listener.LocalEndPoint!).Port;

        public static async Task<Held> OpenAsync(int clients)
        {
            var held = new Held();
            held.Listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            held.Listener.Listen(64);
            for (int i = 0; i < clients; i++)
            {
                var c = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                held.Sockets.Add(c);
                await c.ConnectAsync(new IPEndPoint(IPAddress.Loopback, held.Port));
                held.Sockets.Add(await held.Listener.AcceptAsync());
            }
            return held;
        }

        public void Dispose()
        {
            foreach (Socket s in Sockets) s.Dispose();
            Listener.Dispose();
        }
    }

    [Fact]
    public async Task Conns_lists_the_held_connections_as_ss_tanp_does_with_this_process_as_owner()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/ss")) return; // ss is the reference: Linux only
        const int n = 12;
        using Held held = await Held.OpenAsync(n);

        NsockResult table = await Nsock.RunAsync("conns", "--tcp", "--port", $"{held.Port}");
        NsockResult json = await Nsock.RunAsync("conns", "--tcp", "--port", $"{held.Port}", "--json");
        string[] ss = Ss($"( sport = :{held.Port} or dport = :{held.Port} )");

        Assert.Equal(0, table.ExitCode);
        Assert.Equal(0, json.ExitCode);
        // Only the held sockets are compared: another test may reach this port meanwhile (a probe of the ports around
        // its own), or an earlier holder of the port may have left a TIME_WAIT; ss listed such a stranger once.
        var clientPorts = held.Sockets.Where(c => ((IPEndPoint)c.RemoteEndPoint!).Port == held.Port).Select(c => ((IPEndPoint)c.LocalEndPoint!).Port).ToHashSet();
        bool Ours(string line)
        {
            string[] tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return (tokens.Contains($"127.0.0.1:{held.Port}") && tokens.Contains("0.0.0.0:*")) || clientPorts.Any(p => tokens.Contains($"127.0.0.1:{p}"));
        }
        ss = ss.Where(Ours).ToArray();
        string[] rows = table.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Where(Ours).ToArray();
        JsonElement[] sockets = json.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(s => clientPorts.Contains(s.GetProperty("localPort").GetInt32()) || (s.GetProperty("remotePort").ValueKind == JsonValueKind.Number && clientPorts.Contains(s.GetProperty("remotePort").GetInt32()))
                || s.GetProperty("state").GetString() == "Listen")
            .ToArray();
        Assert.Equal(2 * n + 1, ss.Length);
        Assert.Equal(ss.Length, rows.Length);
        Assert.Equal(ss.Length, sockets.Length);
        Assert.Equal(ss.Count(l => l.StartsWith("LISTEN", StringComparison.Ordinal)), sockets.Count(s => s.GetProperty("state").GetString() == "Listen"));
        Assert.Equal(ss.Count(l => l.StartsWith("ESTAB", StringComparison.Ordinal)), sockets.Count(s => s.GetProperty("state").GetString() == "Established"));
        Assert.Equal(2 * n, rows.Count(r => r.Contains(" Established ", StringComparison.Ordinal)));
        int pid = Environment.ProcessId;
        Assert.All(sockets, s =>
        {
            Assert.Equal("socket", s.GetProperty("event").GetString());
            Assert.Equal("tcp", s.GetProperty("protocol").GetString());
            Assert.Equal(pid, s.GetProperty("processId").GetInt32());
        });
        Assert.All(rows, r => Assert.Contains($" {pid}/", r));
        // The same owner ss names for each of them.
        Assert.All(ss, l => Assert.Contains($"pid={pid},", l));
        // Every client's local port appears, as ss shows it.
        foreach (Socket client in held.Sockets.Where(s => ((IPEndPoint)s.RemoteEndPoint!).Port == held.Port))
        {
            Assert.Contains(sockets, s => s.GetProperty("localPort").GetInt32() == ((IPEndPoint)client.LocalEndPoint!).Port && s.GetProperty("remotePort").GetInt32() == held.Port);
        }
    }

    [Fact]
    public async Task Conns_listening_keeps_only_the_listener_and_state_keeps_only_what_was_asked()
    {
        if (!OperatingSystem.IsLinux()) return;
        using Held held = await Held.OpenAsync(3);

        NsockResult listening = await Nsock.RunAsync("conns", "-l", "-p", $"{held.Port}", "--json");
        JsonElement only = Assert.Single(listening.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement));
        Assert.Equal("Listen", only.GetProperty("state").GetString());
        Assert.Equal(held.Port, only.GetProperty("localPort").GetInt32());

        NsockResult established = await Nsock.RunAsync("conns", "--state", "estab", "-p", $"{held.Port}", "--json");
        Assert.Equal(6, established.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        NsockResult v6 = await Nsock.RunAsync("conns", "-6", "-p", $"{held.Port}");
        Assert.Single(v6.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)); // the header only
    }

    [Fact]
    public async Task Conns_lists_a_unix_listener_by_its_path()
    {
        if (!OperatingSystem.IsLinux()) return;
        string path = Path.Combine(Path.GetTempPath(), "nsock-conns-" + Guid.NewGuid().ToString("N").Substring(0, 8) + ".sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(1);
            NsockResult r = await Nsock.RunAsync("conns", "--unix", "--listening", "--pid", $"{Environment.ProcessId}");
            Assert.Equal(0, r.ExitCode);
            string row = Assert.Single(r.Out.Split('\n'), l => l.Contains(path, StringComparison.Ordinal));
            Assert.StartsWith("unix ", row);
            Assert.Contains(" Listen ", row);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Conns_watch_writes_listed_opened_and_closed_events_when_piped_and_ends_on_ctrl_c()
    {
        if (!OperatingSystem.IsLinux()) return;
        using Held held = await Held.OpenAsync(0);
        using ChildProcess watch = Nsock.StartWithDefaultSignals("conns", "--tcp", "--port", $"{held.Port}", "--watch", "0.1");
        await watch.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"listed\"", StringComparison.Ordinal));

        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, held.Port));
            int clientPort = ((IPEndPoint)client.LocalEndPoint!).Port;
            using Socket server = await held.Listener.AcceptAsync();
            string opened = await watch.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"opened\"", StringComparison.Ordinal) && l.Contains($"\"localPort\":{clientPort}", StringComparison.Ordinal));
            Assert.Contains("\"state\":\"Established\"", opened);
            // The client closes first: its end goes through FIN_WAIT to TIME_WAIT (a state change), the server's
            // end through CLOSE_WAIT and is gone once the server closes too.
            client.Shutdown(SocketShutdown.Both);
            client.Close();
            await watch.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"state\"", StringComparison.Ordinal) && l.Contains($"\"localPort\":{clientPort}", StringComparison.Ordinal));
            server.Close();
            await watch.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"closed\"", StringComparison.Ordinal) && l.Contains($"\"remotePort\":{clientPort}", StringComparison.Ordinal));
        }
        Assert.Equal(0, kill(watch.Id, SIGINT));
        Assert.Equal(130, await watch.WaitForExitAsync());
        Assert.Equal("", watch.StdErr.Text);
    }

    [Fact]
    public async Task Conns_watch_on_a_terminal_redraws_the_table_and_marks_a_new_connection()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/script")) return; // script(1) gives nsock a terminal
        using Held held = await Held.OpenAsync(0);
        string command = string.Join(" ", new[] { Nsock.Description, "conns", "-t", "-p", $"{held.Port}", "--watch", "0.1" });
        using ChildProcess watch = ChildProcess.Start("/usr/bin/env", new[] { "--default-signal=INT", "/usr/bin/script", "-qfec", command, "/dev/null" });
        await watch.StdOut.WaitForLineAsync(l => l.Contains("Listen", StringComparison.Ordinal));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, held.Port));
        using Socket server = await held.Listener.AcceptAsync();
        int clientPort = ((IPEndPoint)client.LocalEndPoint!).Port;
        string marked = await watch.StdOut.WaitForLineAsync(l => l.StartsWith("+ tcp ", StringComparison.Ordinal) && l.Contains($":{clientPort} ", StringComparison.Ordinal));
        Assert.Contains("Established", marked);
        Assert.Contains("[H[2J", watch.StdOut.Text); // redrawn in place, not appended as JSON
        Assert.DoesNotContain("\"event\"", watch.StdOut.Text);
    }

    [Theory]
    [InlineData("--state 'bogus' is not a socket state", "--state", "bogus")]
    [InlineData("--unix sockets have no IP version: leave out -4", "--unix", "-4")]
    [InlineData("--unix sockets have no ports: leave out --port", "--unix", "--port", "80")]
    [InlineData("give --listening or --state, not both", "--listening", "--state", "listen")]
    [InlineData("--pid 'me' is not a process id", "--pid", "me")]
    [InlineData("--port: port 0 in '0' is out of range (1-65535)", "--port", "0")]
    [InlineData("--watch must be more than 0 seconds", "--watch", "0")]
    public async Task Conns_bad_input_exits_2_naming_the_option(string message, params string[] args)
    {
        NsockResult r = await Nsock.RunAsync(["conns", .. args]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.StdErr);
    }

    // ss -tanp with a filter, no header: one line per socket.
    private static string[] Ss(string filter)
    {
        var start = new ProcessStartInfo("ss") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "-tanpH", filter }) start.ArgumentList.Add(a);
        using Process p = Process.Start(start)!;
        string output = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(20_000), "ss did not finish");
        Assert.Equal(0, p.ExitCode);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
