using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Cli.Tests;

/// <summary>How an in-process run of <see cref="NsockApp.InvokeAsync"/> ended.</summary>
internal sealed record InProcessResult(int ExitCode, string Out, string Err, byte[] StdOut);

/// <summary>Runs the nsock command tree in this process against memory streams and string writers.</summary>
internal static class InProcess
{
    public static Task<InProcessResult> RunAsync(params string[] args) => RunAsync(args, Array.Empty<byte>(), CancellationToken.None);

    public static async Task<InProcessResult> RunAsync(string[] args, byte[] stdin, CancellationToken ct)
    {
        var stdout = new MemoryStream();
        var @out = new StringWriter();
        var err = new StringWriter();
        var io = new ConsoleIo(new MemoryStream(stdin, writable: false), stdout, @out, err, stdInIsTerminal: false);
        int code = await NsockApp.InvokeAsync(args, io, ct).WaitAsync(ChildProcess.DefaultTimeout);
        return new InProcessResult(code, @out.ToString(), err.ToString(), stdout.ToArray());
    }

    public static string Utf8(this InProcessResult r) => Encoding.UTF8.GetString(r.StdOut);
}
