using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>
/// Random command lines (seeded, so a failure replays) through the in-process command: every one ends with a
/// documented exit code and never with a stack trace. Targets are loopback only: closed ports, port 0 for a
/// listener, IP literals (no name goes to DNS), and each run is cancelled after a short bound.
/// </summary>
public class CommandLineFuzzTests
{
    private const int Seed = 14_012;
    private const int Runs = 400;
    private static readonly TimeSpan RunBound = TimeSpan.FromSeconds(2);
    private static readonly int[] s_documented = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 130, 143 };

    private static readonly string[] s_commands = { "connect", "listen", "send", "recv", "resolve", "ping", "probe", "http", "bogus", "" };

    private static readonly string[] s_numbers =
    {
        "0", "1", "0.2", "-1", "1e18", "4294967296", "9223372036854775807", "-9223372036854775808", "1e308", "-1e308",
        "NaN", "Infinity", "-Infinity", "1e-300", "2147483", "2147484", "65536", "99999999999999999999", "0x10", "", " ", "abc",
    };

    private static readonly string[] s_options =
    {
        "--timeout", "-w", "--udp", "--tcp", "-4", "-6", "--json", "--verbose", "--bytes", "--until", "--count", "--interval",
        "--size", "--payload", "--warmup", "--send-only", "--recv-only", "--no-shutdown", "--wait-after-eof", "--keep-open",
        "--echo", "--max-clients", "--allow", "--deny", "--ports", "-p", "--parallel", "--wait", "--method", "--header",
        "--body", "--follow", "--http1.0", "--keep-alive", "--raw-request", "--crlf", "--sni", "--insecure", "--reply",
        "--hex", "--bogus", "--", "-", "--help",
    };

    private static string[] Endpoints(int closed) => new[]
    {
        $"127.0.0.1:{closed}", $"[::1]:{closed}", $"udp://127.0.0.1:{closed}", $"tcp://127.0.0.1:{closed}", "127.0.0.1:0",
        "127.0.0.1:70000", "127.0.0.1:-1", "127.0.0.1:", ":0", "[::1", "[::1]:x", "unix:", "unix:/tmp/" + new string('x', 200),
        "unix:/nonexistent-nsock-dir/s.sock", "ftp://127.0.0.1:1", $"http://127.0.0.1:{closed}/", $"https://127.0.0.1:{closed}/",
        "http://", "http://[::1/", "\u202e\u0007\u001b[2J", "127.0.0.1", "::1", "localhost", "1-65535", "0-99999", "5,a,",
    };

    [Fact]
    public async Task Random_command_lines_end_with_a_documented_exit_code_and_no_stack_trace()
    {
        var random = new Random(Seed);
        string[] endpoints = Endpoints(FreePort.Closed());
        var failures = new List<string>();
        for (int run = 0; run < Runs && failures.Count < 5; run++)
        {
            string[] args = Generate(random, endpoints);
            using var bound = new CancellationTokenSource(RunBound);
            InProcessResult r = await InProcess.RunAsync(args, Array.Empty<byte>(), bound.Token);
            string line = "nsock " + string.Join(" ", args.Select(a => "'" + a + "'"));
            string said = r.Err + r.Out; // --json puts http's error event on stdout
            if (!s_documented.Contains(r.ExitCode)) failures.Add($"{line}: exit {r.ExitCode}: {said}");
            else if (said.Contains("Unhandled exception") || said.Contains("   at ") || said.Contains("Exception:"))
                failures.Add($"{line}: stack trace: {said}");
            else if (r.ExitCode == 2 && said.Trim().Length == 0)
                failures.Add($"{line}: exit 2 with no message");
        }
        Assert.True(failures.Count == 0, $"seed {Seed}:\n" + string.Join("\n", failures));
    }

    private static string[] Generate(Random random, string[] endpoints)
    {
        var args = new List<string>();
        string command = s_commands[random.Next(s_commands.Length)];
        if (command.Length > 0) args.Add(command);
        if (random.Next(4) > 0) args.Add(endpoints[random.Next(endpoints.Length)]);
        int options = random.Next(4);
        bool timed = false;
        for (int i = 0; i < options; i++)
        {
            string option = s_options[random.Next(s_options.Length)];
            if (option == "--help") continue;
            args.Add(option);
            if (option is "--timeout" or "-w") timed = true;
            if (random.Next(3) > 0) args.Add(random.Next(5) == 0 ? endpoints[random.Next(endpoints.Length)] : s_numbers[random.Next(s_numbers.Length)]);
        }
        // Most runs get a short timeout, so a run that does reach a socket ends well inside the bound.
        if (!timed && random.Next(5) > 0) args.AddRange(new[] { "-w", "0.3" });
        return args.ToArray();
    }
}
