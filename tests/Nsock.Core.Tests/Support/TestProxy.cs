using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace Nsock.Core.Tests;

/// <summary>
/// tests/Assets/test_proxy.py, a SOCKS5 or HTTP CONNECT proxy in plain Python, started on 127.0.0.1 port 0 and
/// killed (by its own process handle) on dispose. Its "REQUEST" and "AUTH" lines say what it was asked.
/// </summary>
internal sealed class TestProxy : IDisposable
{
    private readonly ExternalProcess _process;

    private TestProxy(ExternalProcess process, string scheme, int port)
    {
        _process = process;
        Scheme = scheme;
        Port = port;
    }

    public string Scheme { get; }

    public int Port { get; }

    /// <summary>The proxy's URL, with <paramref name="userInfo"/> (user:password) when given.</summary>
    public string Url(string? userInfo = null) => $"{Scheme}://{(userInfo is null ? "" : userInfo + "@")}127.0.0.1:{Port}";

    public string Output => _process.Output;

    /// <summary>Starts the proxy: <paramref name="kind"/> is socks5 or http; <paramref name="options"/> are test_proxy.py's own.</summary>
    public static async Task<TestProxy> StartAsync(string kind, params string[] options)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "Assets", "test_proxy.py");
        ExternalProcess p = ExternalProcess.Start(Tools.Python3, new[] { "-u", script, "--kind", kind }.Concat(options).ToArray());
        string? line = await p.WaitForLineAsync(l => l.StartsWith("LISTENING ", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Match m = Regex.Match(line ?? "", @"^LISTENING (\d+)$");
        if (!m.Success)
        {
            string output = p.Output;
            p.Dispose();
            throw new InvalidOperationException("test_proxy.py did not start: " + output);
        }
        return new TestProxy(p, kind == "socks5" ? "socks5" : "http", int.Parse(m.Groups[1].Value));
    }

    /// <summary>The next line the proxy prints that starts with <paramref name="prefix"/> (bounded wait; null if none came).</summary>
    public Task<string?> NextLineAsync(string prefix) => _process.WaitForLineAsync(l => l.StartsWith(prefix, StringComparison.Ordinal), Limits.Wait);

    public void Dispose() => _process.Dispose();
}
