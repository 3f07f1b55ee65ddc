using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>Real peers for interop: OpenBSD nc, socat and small Python 3 stdlib scripts (Peers/*.py).</summary>
internal static class Peers
{
    /// <summary>A peer server process and the loopback port it listens on.</summary>
    internal sealed record Server(ChildProcess Process, int Port) : IDisposable
    {
        public void Dispose() => Process.Dispose();
    }

    public static ChildProcess Python(string script, params string[] args) =>
        ChildProcess.Start("python3", new[] { "-u", Path.Combine(AppContext.BaseDirectory, "Peers", script) }.Concat(args));

    /// <summary>Peers/echo_server.py on a free port of <paramref name="host"/>; it prints the port when bound.</summary>
    public static async Task<Server> PythonEchoServerAsync(string host = "127.0.0.1")
    {
        ChildProcess p = Python("echo_server.py", host);
        try
        {
            string line = await p.StdOut.WaitForLineAsync(l => l.Length > 0);
            return new Server(p, int.Parse(line.Trim()));
        }
        catch
        {
            p.Dispose();
            throw;
        }
    }

    /// <summary>
    /// socat with <paramref name="args"/> (which hold a TCP-LISTEN:0 or UDP-RECVFROM:0 address); its -d -d notice
    /// "listening on AF=2 127.0.0.1:PORT" tells the port it was given.
    /// </summary>
    public static async Task<Server> SocatListenAsync(params string[] args)
    {
        ChildProcess p = ChildProcess.Start("socat", new[] { "-d", "-d" }.Concat(args));
        try
        {
            string line = await p.StdErr.WaitForLineAsync(l => l.Contains("listening on", StringComparison.Ordinal));
            Match m = Regex.Match(line, @":(\d+)\s*$");
            Assert.True(m.Success, $"no port in socat's line: {line}");
            return new Server(p, int.Parse(m.Groups[1].Value));
        }
        catch
        {
            p.Dispose();
            throw;
        }
    }

    /// <summary>
    /// OpenBSD <c>nc -v -l 127.0.0.1 PORT</c> plus <paramref name="options"/> on a port that was free a moment ago
    /// (nc -l needs an explicit port); returns once nc says it is listening.
    /// </summary>
    public static async Task<Server> NcListenAsync(params string[] options)
    {
        int port = FreePort.Tcp();
        ChildProcess p = ChildProcess.Start("nc", options.Concat(new[] { "-v", "-l", "127.0.0.1", port.ToString() }));
        try
        {
            await p.StdErr.WaitForLineAsync(l => l.StartsWith("Listening on", StringComparison.Ordinal));
            return new Server(p, port);
        }
        catch
        {
            p.Dispose();
            throw;
        }
    }
}
