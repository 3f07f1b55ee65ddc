using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>nsock listen --broker and --chat with nc clients, and ncat --broker as the reference for the broker's bytes.</summary>
public class BrokerChatInteropTests
{
    [Fact]
    public async Task Nc_clients_of_nsock_broker_see_the_same_bytes_as_clients_of_ncat_broker()
    {
        using RunningListener nsock = await Nsock.ListenAsync("127.0.0.1:0", "--broker");
        string[] ours = await BrokerScenarioAsync(nsock.Port, n => WaitForCountAsync(nsock.Process.StdErr, l => l.Contains("\"event\":\"connected\"", StringComparison.Ordinal), n));

        int port = FreePort.Tcp();
        using ChildProcess ncat = ChildProcess.Start("ncat", new[] { "-v", "--broker", "-l", "127.0.0.1", port.ToString() });
        await ncat.StdErr.WaitForLineAsync(l => l.Contains("Listening on", StringComparison.Ordinal));
        // ncat -v says "Connection from 127.0.0.1." and then "Connection from 127.0.0.1:PORT." for each client: count
        // the second only (counting both let the scenario start with two clients in, and the third missed a's line).
        string[] theirs = await BrokerScenarioAsync(port, n => WaitForCountAsync(ncat.StdErr, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"Connection from \S+:\d+\.$"), n));

        Assert.Equal(new[] { "from-b\n", "from-a\n", "from-a\n" }, ours);
        Assert.Equal(theirs, ours);
        // What the clients said is on the listener's stdout too.
        await nsock.Process.StdOut.WaitForBytesAsync(14);
        Assert.Equal("from-a\nfrom-b\n", nsock.Process.StdOut.Text);
    }

    [Fact]
    public async Task Nc_clients_chat_through_nsock_with_names_and_json_events()
    {
        using RunningListener chat = await Nsock.ListenAsync("127.0.0.1:0", "--chat");
        using ChildProcess a = ChildProcess.Start("nc", new[] { "127.0.0.1", chat.Port.ToString() });
        await a.StdOut.WaitForLineAsync(l => l.StartsWith("* you are user1", StringComparison.Ordinal));
        using ChildProcess b = ChildProcess.Start("nc", new[] { "-N", "127.0.0.1", chat.Port.ToString() }); // -N: half-closes at the end of its input
        await b.StdOut.WaitForLineAsync(l => l.StartsWith("* you are user2", StringComparison.Ordinal));

        await a.WriteStdInAsync(Encoding.UTF8.GetBytes("/nick ana\nolá \u001b[31mred\n"), close: false);
        string said = await b.StdOut.WaitForLineAsync(l => l.StartsWith("<ana>", StringComparison.Ordinal));
        Assert.Equal("<ana> olá \\x1b[31mred", said);
        b.CloseStdIn();
        await a.StdOut.WaitForLineAsync(l => l == "* user2 left");

        // --json: the events, one object a line, on stdout (the room's text is not written then).
        await chat.Process.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"leave\"", StringComparison.Ordinal));
        string[] events = chat.Process.StdOut.Lines;
        Assert.Contains(events, l => l.Contains("\"event\":\"join\"", StringComparison.Ordinal) && l.Contains("\"name\":\"user2\"", StringComparison.Ordinal));
        Assert.Contains(events, l => l.Contains("\"event\":\"nick\"", StringComparison.Ordinal) && l.Contains("\"name\":\"ana\"", StringComparison.Ordinal));
        Assert.Contains(events, l => l.Contains("\"event\":\"message\"", StringComparison.Ordinal) && l.Contains("\"text\":\"olá \\u001B[31mred\"", StringComparison.Ordinal));
        Assert.All(events, l => Assert.StartsWith("{\"event\":", l));
    }

    // Three nc clients: a says a line, then b; returns what a, b and c received.
    private static async Task<string[]> BrokerScenarioAsync(int port, Func<int, Task> connected)
    {
        using ChildProcess a = ChildProcess.Start("nc", new[] { "127.0.0.1", port.ToString() });
        using ChildProcess b = ChildProcess.Start("nc", new[] { "127.0.0.1", port.ToString() });
        using ChildProcess c = ChildProcess.Start("nc", new[] { "127.0.0.1", port.ToString() });
        await connected(3);
        await a.WriteStdInAsync(Encoding.ASCII.GetBytes("from-a\n"), close: false);
        await b.StdOut.WaitForBytesAsync(7);
        await c.StdOut.WaitForBytesAsync(7);
        await b.WriteStdInAsync(Encoding.ASCII.GetBytes("from-b\n"), close: false);
        await a.StdOut.WaitForBytesAsync(7);
        await c.StdOut.WaitForBytesAsync(14);
        return new[] { a.StdOut.Text, b.StdOut.Text, c.StdOut.Text[..7] };
    }

    private static async Task WaitForCountAsync(ChildProcess.Capture capture, Func<string, bool> match, int count)
    {
        var clock = Stopwatch.StartNew();
        while (capture.Lines.Count(match) < count)
        {
            if (clock.Elapsed > ChildProcess.DefaultTimeout) throw new TimeoutException($"fewer than {count} matching lines; got: {capture.Text}");
            await Task.Delay(20);
        }
    }
}
