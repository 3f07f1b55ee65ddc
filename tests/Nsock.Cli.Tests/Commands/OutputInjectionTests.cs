using System;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>Peer-chosen text (file names, refusal reasons) reaches a human-readable line escaped: no forged lines, no terminal escapes.</summary>
public sealed class OutputInjectionTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "nsock-inject-" + Guid.NewGuid().ToString("N").Substring(0, 8));

    public OutputInjectionTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_file_name_and_reason_with_newlines_escapes_and_bidi_overrides_print_as_one_escaped_line()
    {
        var stdout = new MemoryStream();
        var @out = new StringWriter();
        var err = new StringWriter();
        var reporter = new Reporter(new ConsoleIo(new MemoryStream(), stdout, @out, err, false), json: false, verbose: false, stdoutCarriesData: false);
        const string name = "x\nreceived evil.sh: 5 bytes verified\r\u001b[2J\u202Ecod.exe";

        reporter.Emit(new FileResult(name, 0, null, false, FileStatus.Refused, $"no file '{name}'", 0, 0, 0));
        reporter.Flush();

        string line = Assert.Single(@out.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(@"refused x\nreceived evil.sh: 5 bytes verified\r\x1b[2J\u202ecod.exe: 0 bytes: no file 'x\nreceived evil.sh: 5 bytes verified\r\x1b[2J\u202ecod.exe'", line);
    }

    [Fact]
    public async Task A_serve_listener_logs_a_hostile_requested_name_escaped()
    {
        using ChildProcess listener = Nsock.Start("listen", "127.0.0.1:0", "--serve", _dir);
        string ready = await listener.StdErr.WaitForLineAsync(l => l.Contains("listening on", StringComparison.Ordinal));
        int port = int.Parse(ready.Substring(ready.LastIndexOf(':') + 1));

        byte[] back = await Loopback.RoundTripAsync(port, Encoding.UTF8.GetBytes("a\rsent b: 9 bytes\u001b[2J\u202Eexe\n"));

        Assert.StartsWith("nsock: error:", Encoding.UTF8.GetString(back));
        string line = await listener.StdOut.WaitForLineAsync(l => l.StartsWith("refused", StringComparison.Ordinal));
        Assert.StartsWith(@"refused a\rsent b: 9 bytes\x1b[2J\u202eexe: 0 bytes", line);
        Assert.DoesNotContain(listener.StdOut.Text, c => c is '\u001b' or '\r' or '\u202E');
    }
}
