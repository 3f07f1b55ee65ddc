using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>
/// <c>nsock listen --echo -k</c> with a crowd of idle clients: all served, a new client still echoed, and memory per
/// client small (scripts/bench/scale measures the same at 10,000 clients).
/// </summary>
public class ListenScaleTests
{
    // Each client sends this much once, gets it back, then stays idle: a listener that kept a receive buffer per client
    // (64 KiB, as before) keeps these bytes' pages of it resident for every client; one that gives it back does not.
    private const int FirstMessage = 48 * 1024;

    // Generous: 4 KiB per client here (10,000 idle clients: 3.3 KiB each), 60 KiB and more with a buffer per client.
    private const double MaxKibPerClient = 32;

    [Fact]
    public async Task Listen_echo_keep_open_serves_a_thousand_idle_clients_at_a_few_KiB_each_and_echoes_a_new_one()
    {
        if (!OperatingSystem.IsLinux()) return; // the listener's memory is read from /proc
        int clients = Math.Min(1000, OpenFileSoftLimit() - 200); // the listener inherits this process's limit
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo", "-k", "--max-clients", (clients + 10).ToString());
        int pid = echo.Process.Id;
        await Loopback.RoundTripAsync(echo.Port, Encoding.ASCII.GetBytes("warm")); // the first client's one-time costs
        long before = RssKib(pid);

        var held = new List<Socket>();
        try
        {
            var message = new byte[FirstMessage];
            new Random(17).NextBytes(message);
            var reply = new byte[FirstMessage];
            // One at a time: a listener that rents a buffer only while bytes are in flight needs one buffer for all of them.
            for (int i = 0; i < clients; i++)
            {
                Socket s = await Loopback.ConnectAsync(echo.Port);
                held.Add(s);
                await s.SendAsync(message.AsMemory()).AsTask().WaitAsync(ChildProcess.DefaultTimeout);
                await ReceiveExactlyAsync(s, reply);
                Assert.True(reply.AsSpan().SequenceEqual(message), $"client {i + 1} got other bytes back");
            }

            // A new client while the crowd is held: its own bytes back.
            byte[] fresh = await Loopback.RoundTripAsync(echo.Port, Encoding.ASCII.GetBytes("still here"));
            Assert.Equal("still here", Encoding.ASCII.GetString(fresh));

            double perClient = (RssKib(pid) - before) / (double)clients;
            Assert.True(perClient < MaxKibPerClient, $"{perClient:0.0} KiB per idle client ({clients} clients), over {MaxKibPerClient} KiB");
            // Every held client is still served (none was dropped while idle).
            foreach (Socket s in held.Take(5).Concat(held.Skip(clients - 5)))
            {
                await s.SendAsync(message.AsMemory(0, 3)).AsTask().WaitAsync(ChildProcess.DefaultTimeout);
                await ReceiveExactlyAsync(s, reply.AsMemory(0, 3));
                Assert.True(reply.AsSpan(0, 3).SequenceEqual(message.AsSpan(0, 3)));
            }
        }
        finally
        {
            foreach (Socket s in held) s.Dispose();
        }
        Assert.False(echo.Process.HasExited, "the listener keeps serving after its crowd left");
    }

    private static async Task ReceiveExactlyAsync(Socket s, Memory<byte> into)
    {
        int got = 0;
        while (got < into.Length)
        {
            int n = await s.ReceiveAsync(into[got..]).AsTask().WaitAsync(ChildProcess.DefaultTimeout);
            Assert.True(n > 0, $"the listener closed after {got} of {into.Length} bytes");
            got += n;
        }
    }

    private static long RssKib(int pid) => StatusField(pid, "VmRSS:");

    private static long StatusField(int pid, string name)
    {
        string line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(name, StringComparison.Ordinal));
        return long.Parse(line[name.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int OpenFileSoftLimit()
    {
        // "Max open files            20000                20000                files"
        string line = File.ReadLines("/proc/self/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        string soft = line["Max open files".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return soft == "unlimited" ? int.MaxValue : int.Parse(soft, System.Globalization.CultureInfo.InvariantCulture);
    }
}
