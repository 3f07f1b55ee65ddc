using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;
using static Nsock.Cli.Tests.NetworkNamespaces;

namespace Nsock.Cli.Tests;

/// <summary>
/// Zero-copy toward another host, end to end with the real binary: nsock runs in namespace A, its peers (socat) in
/// namespace B across a veth pair, so a peer is on another host as far as A can tell. nsock runs under
/// <c>strace -f -c</c>, which counts its splice and sendfile calls; its socket calls are counted too, to show that
/// strace saw the process whenever a count is zero. The counterparts (an end on A's loopback or at A's own address)
/// run the same way and must make none: the tests check the rule, not strace. NSOCK_SPLICE and NSOCK_ZEROCOPY are
/// taken out of nsock's environment, so the rule decides alone.
/// </summary>
public class ZeroCopyAcrossHostsTests
{
    private const int RequestBytes = 4 * 1024 * 1024;
    private const int ResponseBytes = 6 * 1024 * 1024;
    private const int FileBytes = 6 * 1024 * 1024;

    private static readonly Lazy<string?> s_noStrace = new(() =>
    {
        try
        {
            using ChildProcess p = ChildProcess.Start("strace", new[] { "-V" });
            p.CloseStdIn();
            return p.WaitForExitAsync().GetAwaiter().GetResult() == 0 ? null : "strace -V failed: " + p.StdErr.Text;
        }
        catch (InvalidOperationException e)
        {
            return e.Message + " (scripts/test installs strace)";
        }
    });

    [NetworkNamespaces.Fact]
    public async Task Forward_between_two_other_hosts_splices_and_both_directions_and_the_half_close_arrive_intact()
    {
        using NetworkNamespaces net = Create();

        Syscalls calls = await ForwardAsync(net, clientIn: net.B, listenAt: AddressA, targetIn: net.B, targetAt: AddressB);

        Assert.True(calls.Splice > calls.SpliceErrors, $"the forward between two other hosts made no splice that moved bytes: {calls}");
    }

    [NetworkNamespaces.Theory]
    [InlineData("both ends on loopback")]
    [InlineData("both ends at this host's own address")]
    [InlineData("client from another host, target on loopback")]
    [InlineData("client on loopback, target on another host")]
    public async Task Forward_with_an_end_on_this_host_copies_and_makes_no_splice(string ends)
    {
        using NetworkNamespaces net = Create();
        (string clientIn, string listenAt, string targetIn, string targetAt) = ends switch
        {
            "both ends on loopback" => (net.A, "127.0.0.1", net.A, "127.0.0.1"),
            "both ends at this host's own address" => (net.A, AddressA, net.A, AddressA),
            "client from another host, target on loopback" => (net.B, AddressA, net.A, "127.0.0.1"),
            "client on loopback, target on another host" => (net.A, "127.0.0.1", net.B, AddressB),
            _ => throw new ArgumentOutOfRangeException(nameof(ends), ends, null),
        };

        Syscalls calls = await ForwardAsync(net, clientIn, listenAt, targetIn, targetAt);

        Assert.True(calls.Socket > 0, $"strace saw no socket call of the forwarder, so its zero splice count says nothing: {calls}");
        Assert.Equal(0, calls.Splice);
    }

    [NetworkNamespaces.Theory]
    [InlineData("send --file")]
    [InlineData("send < file")]
    [InlineData("connect < file")]
    public async Task A_file_sent_to_another_host_goes_out_with_sendfile_and_arrives_intact(string how)
    {
        using NetworkNamespaces net = Create();

        Syscalls calls = await SendFileAsync(net, how, receiverIn: net.B, receiverAt: AddressB);

        Assert.True(calls.Sendfile > calls.SendfileErrors, $"'{how}' to another host made no sendfile that moved bytes: {calls}");
    }

    [NetworkNamespaces.Theory]
    [InlineData("send --file", "127.0.0.1")]
    [InlineData("send --file", AddressA)]
    [InlineData("send < file", "127.0.0.1")]
    [InlineData("connect < file", "127.0.0.1")]
    public async Task A_file_sent_to_this_host_is_read_and_sent_without_sendfile(string how, string receiverAt)
    {
        using NetworkNamespaces net = Create();

        Syscalls calls = await SendFileAsync(net, how, receiverIn: net.A, receiverAt);

        Assert.True(calls.Socket > 0, $"strace saw no socket call of nsock, so its zero sendfile count says nothing: {calls}");
        Assert.Equal(0, calls.Sendfile);
    }

    // A client in clientIn sends RequestBytes through `nsock forward` (in A, listening at listenAt) and half-closes; the
    // target in targetIn reads to that end of stream and only then answers ResponseBytes and closes. Both directions
    // must arrive whole, the forward must report the bytes each way and exit after its one client (--count 1), which
    // ends strace and writes its counts.
    private static async Task<Syscalls> ForwardAsync(NetworkNamespaces net, string clientIn, string listenAt, string targetIn, string targetAt)
    {
        Assert.Null(s_noStrace.Value);
        byte[] request = Data.Random(RequestBytes);
        byte[] response = Data.Random(ResponseBytes);
        using var dir = new TempDir();
        string responseFile = dir.File("response.bin"), requestFile = dir.File("request.bin"), trace = dir.File("strace.txt");
        File.WriteAllBytes(responseFile, response);

        (ChildProcess target, int targetPort) = await SocatListenAsync(net, targetIn,
            "-t", "30", $"TCP-LISTEN:0,bind={targetAt}", $"SYSTEM:'cat > {requestFile}; cat {responseFile}'");
        ChildProcess forward = net.Start(net.A, Traced(trace, "forward", $"{listenAt}:0", $"{targetAt}:{targetPort}", "--count", "1", "--json"));
        string ready = await forward.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"ready\"", StringComparison.Ordinal));
        int port;
        using (JsonDocument doc = JsonDocument.Parse(ready)) port = doc.RootElement.GetProperty("port").GetInt32();
        ChildProcess client = net.Start(clientIn, "socat", "-t", "30", "-", $"TCP:{listenAt}:{port}");

        await client.WriteStdInAsync(request);

        Assert.True(await client.WaitForExitAsync() == 0, $"the client failed: {client.StdErr.Text}");
        Assert.Equal(Data.Sha256(response), Data.Sha256(client.StdOut.Bytes));
        Assert.True(await target.WaitForExitAsync() == 0, $"the target failed: {target.StdErr.Text}");
        Assert.Equal(Data.Sha256(request), Data.Sha256(requestFile));
        Assert.True(await forward.WaitForExitAsync() == 0, $"the forward failed: {forward.StdErr.Text}");
        string closedLine = Assert.Single(forward.StdOut.Lines, l => l.Contains("\"event\":\"closed\"", StringComparison.Ordinal));
        using JsonDocument closed = JsonDocument.Parse(closedLine);
        Assert.Equal(RequestBytes, closed.RootElement.GetProperty("bytesReceived").GetInt64());
        Assert.Equal(ResponseBytes, closed.RootElement.GetProperty("bytesSent").GetInt64());
        Assert.False(closed.RootElement.TryGetProperty("error", out _), closedLine);
        return Syscalls.Read(trace);
    }

    // nsock in A sends a FileBytes file to a socat receiver in receiverIn at receiverAt, the way `how` says: by name
    // (--file) or as stdin redirected from the file by the shell, with send or connect. The receiver writes what it
    // got to its stdout, and closes when nsock's end of stream arrives.
    private static async Task<Syscalls> SendFileAsync(NetworkNamespaces net, string how, string receiverIn, string receiverAt)
    {
        Assert.Null(s_noStrace.Value);
        byte[] content = Data.Random(FileBytes);
        using var dir = new TempDir();
        string file = dir.File("upload.bin"), trace = dir.File("strace.txt");
        File.WriteAllBytes(file, content);

        (ChildProcess receiver, int port) = await SocatListenAsync(net, receiverIn, "-u", $"TCP-LISTEN:0,bind={receiverAt}", "STDOUT");
        string endpoint = $"{receiverAt}:{port}";
        string[] command = how switch
        {
            "send --file" => Traced(trace, "send", "--file", file, endpoint),
            "send < file" => FromFile(file, Traced(trace, "send", endpoint)),
            "connect < file" => FromFile(file, Traced(trace, "connect", endpoint)),
            _ => throw new ArgumentOutOfRangeException(nameof(how), how, null),
        };
        ChildProcess nsock = net.Start(net.A, command);
        nsock.CloseStdIn();

        Assert.True(await nsock.WaitForExitAsync() == 0, $"'{how}' failed: {nsock.StdErr.Text}");
        Assert.True(await receiver.WaitForExitAsync() == 0, $"the receiver failed: {receiver.StdErr.Text}");
        Assert.Equal(Data.Sha256(content), Data.Sha256(receiver.StdOut.Bytes));
        return Syscalls.Read(trace);
    }

    // nsock under strace, counting its (and its threads') socket, splice and sendfile calls into `output` at exit.
    private static string[] Traced(string output, params string[] args) =>
        new[] { "env", "-u", "NSOCK_SPLICE", "-u", "NSOCK_ZEROCOPY", "strace", "-f", "-qq", "-c", "-e", "trace=socket,splice,sendfile", "-o", output }
            .Concat(Nsock.CommandLine(args)).ToArray();

    // The command with its stdin redirected from `file` by the shell, as `nsock send HOST:PORT < file` is typed.
    private static string[] FromFile(string file, string[] command) =>
        new[] { "/bin/sh", "-c", "f=$1; shift; exec \"$@\" < \"$f\"", "sh", file }.Concat(command).ToArray();

    // socat -d -d with a TCP-LISTEN:0 address, in namespace `name`; its notice "listening on AF=2 ADDR:PORT" tells the port.
    private static async Task<(ChildProcess, int)> SocatListenAsync(NetworkNamespaces net, string name, params string[] args)
    {
        ChildProcess p = net.Start(name, new[] { "socat", "-d", "-d" }.Concat(args));
        string line = await p.StdErr.WaitForLineAsync(l => l.Contains("listening on", StringComparison.Ordinal));
        Match m = Regex.Match(line, @":(\d+)\s*$");
        Assert.True(m.Success, $"no port in socat's line: {line}");
        return (p, int.Parse(m.Groups[1].Value));
    }

    // The calls (and failed calls: EAGAIN on a non-blocking socket) strace -c counted per system call.
    private sealed record Syscalls(int Socket, int Splice, int SpliceErrors, int Sendfile, int SendfileErrors)
    {
        // strace -c's table: "% time  seconds  usecs/call  calls  [errors]  syscall", one row per call made at least
        // once (none when nothing traced was called). A file strace never wrote fails the test.
        public static Syscalls Read(string path)
        {
            string[][] rows = File.ReadAllLines(path)
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(r => r.Length is 5 or 6 && double.TryParse(r[0], System.Globalization.CultureInfo.InvariantCulture, out _))
                .ToArray();
            (int Calls, int Errors) Of(string name) =>
                rows.FirstOrDefault(r => r[^1] == name) is { } r ? (int.Parse(r[3]), r.Length == 6 ? int.Parse(r[4]) : 0) : (0, 0);
            (int splice, int spliceErrors) = Of("splice");
            (int sendfile, int sendfileErrors) = Of("sendfile");
            return new Syscalls(Of("socket").Calls, splice, spliceErrors, sendfile, sendfileErrors);
        }
    }
}
