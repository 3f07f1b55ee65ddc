using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Nsock.Core.Tests;

/// <summary>
/// A loopback HTTP server made of scripts: for each connection it reads and records the request, then runs the
/// script, which writes whatever raw bytes the test wants (well-formed, split, hostile or none at all).
/// </summary>
internal sealed class ScriptedHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<ServerConnection, Task> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<byte[]> _requests = new();
    private readonly List<Task> _connections = new();
    private readonly Task _acceptLoop;
    private int _accepted;

    public ScriptedHttpServer(Func<ServerConnection, Task> script, IPAddress? address = null)
    {
        _script = script;
        _listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>A server that answers every request with these bytes (Latin-1) and then closes.</summary>
    public static ScriptedHttpServer Answering(string response) => new(c => c.WriteAsync(response));

    public int Port { get; }

    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Every request received, in arrival order, byte for byte.</summary>
    public IReadOnlyList<byte[]> Requests => _requests.ToArray();

    public IReadOnlyList<string> RequestTexts => Requests.Select(r => Encoding.Latin1.GetString(r)).ToArray();

    /// <summary>Script failures other than the client going away (a broken test server must not pass silently).</summary>
    public ConcurrentQueue<Exception> ScriptErrors { get; } = new();

    public Uri Url(string pathAndQuery = "/") => new($"http://127.0.0.1:{Port}{pathAndQuery}");

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _accepted);
            socket.NoDelay = true;
            lock (_connections) _connections.Add(Task.Run(() => ServeAsync(socket)));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var stream = new NetworkStream(socket, ownsSocket: true);
        var connection = new ServerConnection(socket, stream, _stop.Token);
        try
        {
            connection.Request = await connection.ReadRequestAsync(TimeSpan.FromSeconds(5));
            _requests.Enqueue(connection.Request);
            await _script(connection);
            socket.Shutdown(SocketShutdown.Send);
            // Close only once the client has: closing with its bytes unread would reset the connection.
            await connection.WaitForClientCloseAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away first: what a hostile-server test expects.
        }
        catch (Exception e)
        {
            ScriptErrors.Enqueue(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _acceptLoop;
        Task[] running;
        lock (_connections) running = _connections.ToArray();
        try
        {
            await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // A script still blocked in a write; its socket dies with the process.
        }
        _stop.Dispose();
        if (!ScriptErrors.IsEmpty) throw new AggregateException("test server script failed", ScriptErrors);
    }
}

/// <summary>One accepted connection, as the script sees it.</summary>
internal sealed class ServerConnection
{
    public ServerConnection(Socket socket, NetworkStream stream, CancellationToken stopping)
    {
        Socket = socket;
        Stream = stream;
        Stopping = stopping;
    }

    public Socket Socket { get; }

    public NetworkStream Stream { get; }

    public CancellationToken Stopping { get; }

    /// <summary>The request bytes: through the blank line, plus a Content-Length body.</summary>
    public byte[] Request { get; set; } = Array.Empty<byte>();

    public string RequestLine
    {
        get
        {
            string text = Encoding.Latin1.GetString(Request);
            int end = text.IndexOf('\n');
            return (end < 0 ? text : text.Substring(0, end)).TrimEnd('\r');
        }
    }

    public Task WriteAsync(string latin1) => WriteAsync(Encoding.Latin1.GetBytes(latin1));

    public async Task WriteAsync(byte[] bytes)
    {
        await Stream.WriteAsync(bytes, Stopping);
        await Stream.FlushAsync(Stopping);
    }

    /// <summary>Writes each piece as its own segment, pausing between them so the client reads them apart.</summary>
    public async Task WriteInPiecesAsync(int pauseMs, params string[] pieces)
    {
        for (int i = 0; i < pieces.Length; i++)
        {
            if (i > 0) await Task.Delay(pauseMs, Stopping);
            await WriteAsync(pieces[i]);
        }
    }

    /// <summary>Waits until the client closes its side (reading and dropping anything it still sends), at most <paramref name="limit"/>.</summary>
    public async Task WaitForClientCloseAsync(TimeSpan limit)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Stopping);
        cts.CancelAfter(limit);
        var buffer = new byte[4096];
        try
        {
            while (await Stream.ReadAsync(buffer, cts.Token) > 0)
            {
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task<byte[]> ReadRequestAsync(TimeSpan limit)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Stopping);
        cts.CancelAfter(limit);
        var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            while (true)
            {
                byte[] sofar = received.ToArray();
                int headEnd = HeadEnd(sofar);
                if (headEnd >= 0 && sofar.Length >= headEnd + ContentLength(sofar, headEnd)) return sofar;
                int n = await Stream.ReadAsync(buffer, cts.Token);
                if (n == 0) return sofar;
                received.Write(buffer, 0, n);
            }
        }
        catch (OperationCanceledException) when (!Stopping.IsCancellationRequested)
        {
            return received.ToArray();
        }
    }

    // Index just past the blank line ending the head (CRLF CRLF, or the bare LF LF of a raw request), or -1.
    private static int HeadEnd(byte[] b)
    {
        for (int i = 0; i + 1 < b.Length; i++)
        {
            if (b[i] != '\n') continue;
            if (b[i + 1] == '\n') return i + 2;
            if (b[i + 1] == '\r' && i + 2 < b.Length && b[i + 2] == '\n') return i + 3;
        }
        return -1;
    }

    private static int ContentLength(byte[] b, int headEnd)
    {
        Match m = Regex.Match(Encoding.Latin1.GetString(b, 0, headEnd), @"^Content-Length:\s*(\d+)\s*$", RegexOptions.IgnoreCase | RegexOptions.Multiline);
        return m.Success ? int.Parse(m.Groups[1].Value) : 0;
    }
}

/// <summary>Collects every engine event, in order.</summary>
internal sealed class HttpEventRecorder : IEventSink
{
    private readonly List<NsockEvent> _events = new();

    public IReadOnlyList<NsockEvent> Events
    {
        get
        {
            lock (_events) return _events.ToArray();
        }
    }

    public IReadOnlyList<T> Of<T>() where T : NsockEvent => Events.OfType<T>().ToArray();

    public void Emit(NsockEvent e)
    {
        lock (_events) _events.Add(e);
    }
}

/// <summary>A write-only stream that counts what it is given and keeps at most a prefix, so a test can watch a hostile stream without holding it.</summary>
internal sealed class CountingStream : Stream
{
    private readonly MemoryStream _kept = new();
    private readonly int _keep;

    public CountingStream(int keep = 64 * 1024) => _keep = keep;

    public long Count { get; private set; }

    public byte[] Kept => _kept.ToArray();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => Count;

    public override long Position { get => Count; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count)
    {
        Count += count;
        int room = (int)Math.Min(count, Math.Max(0, _keep - _kept.Length));
        _kept.Write(buffer, offset, room);
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>A child process (a real server) whose output lines a test can wait for; killed, by its own handle, on dispose.</summary>
internal sealed class ExternalProcess : IDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _output = new();
    private int _openStreams = 2;

    private ExternalProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Everything the process printed so far (stdout and stderr), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public bool HasExited => _process.HasExited;

    public static ExternalProcess Start(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in args) info.ArgumentList.Add(a);
        var process = new Process { StartInfo = info };
        var p = new ExternalProcess(process);
        process.OutputDataReceived += (_, e) => p.Line(e.Data);
        process.ErrorDataReceived += (_, e) => p.Line(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return p;
    }

    /// <summary>Runs a command to its end, bounded; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan limit, string file, params string[] args)
    {
        using ExternalProcess p = Start(file, args);
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await p._process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{file} did not finish within {limit.TotalSeconds}s: {p.Output}");
        }
        return (p._process.ExitCode, p.Output);
    }

    /// <summary>The first line (from now on) that matches, or null if the process ends or the time runs out first.</summary>
    public async Task<string?> WaitForLineAsync(Func<string, bool> match, TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(cts.Token))
            {
                while (_lines.Reader.TryRead(out string? line))
                {
                    if (match(line)) return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        return null;
    }

    private void Line(string? line)
    {
        if (line is null)
        {
            if (Interlocked.Decrement(ref _openStreams) == 0) _lines.Writer.TryComplete();
            return;
        }
        lock (_output) _output.AppendLine(line);
        _lines.Writer.TryWrite(line);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill();
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Never started, or already reaped.
        }
        _process.Dispose();
    }
}

/// <summary>Where the external servers live: python3 on PATH (pyenv's shim as a fallback), Debian's openssl.</summary>
internal static class Tools
{
    public static string Python3 => Find("python3", "/root/.pyenv/shims/python3", "/usr/bin/python3");

    public static string OpenSsl => Find("openssl", "/usr/bin/openssl");

    private static string Find(string name, params string[] fallbacks)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return fallbacks.FirstOrDefault(File.Exists) ?? throw new Win32Exception($"{name} is not installed (looked on PATH and in {string.Join(", ", fallbacks)})");
    }
}

/// <summary><c>python3 -m http.server</c> on 127.0.0.1, port 0, serving one folder: a real, independent HTTP/1.0 server.</summary>
internal sealed class PythonHttpServer : IDisposable
{
    private readonly ExternalProcess _process;

    private PythonHttpServer(ExternalProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<PythonHttpServer> StartAsync(string directory)
    {
        // -u: unbuffered, so the "Serving HTTP on 127.0.0.1 port N" line arrives now rather than at exit.
        ExternalProcess p = ExternalProcess.Start(Tools.Python3, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", directory);
        string? line = await p.WaitForLineAsync(l => l.StartsWith("Serving HTTP on", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Match m = Regex.Match(line ?? "", @" port (\d+)");
        if (!m.Success)
        {
            string output = p.Output;
            p.Dispose();
            throw new InvalidOperationException("python3 -m http.server did not start: " + output);
        }
        return new PythonHttpServer(p, int.Parse(m.Groups[1].Value));
    }

    public void Dispose() => _process.Dispose();
}

/// <summary>
/// <c>openssl s_server -www</c> on 127.0.0.1 with a self-signed certificate for CN=localhost made for the run. It
/// answers a GET with a status page, serves connections one after another, and (with -servername localhost
/// -servername_fatal) aborts a handshake whose SNI is some other name: so a test can tell which name was sent.
/// </summary>
public sealed class OpenSslServerFixture : Xunit.IAsyncLifetime
{
    private ExternalProcess? _server;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "nsock-tls-" + Guid.NewGuid().ToString("N").Substring(0, 8));

    public int Port { get; private set; }

    public string CertificatePem { get; private set; } = "";

    /// <summary>SHA-256 of the certificate's DER bytes, as TlsInfo formats it.</summary>
    public string Sha256Fingerprint => string.Join(":", SHA256.HashData(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(CertificatePem).RawData).Select(b => b.ToString("X2")));

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        string cert = Path.Combine(Directory, "c.pem"), key = Path.Combine(Directory, "k.pem");
        (int code, string output) = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(30), Tools.OpenSsl,
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost");
        if (code != 0) throw new InvalidOperationException("openssl req failed: " + output);
        CertificatePem = File.ReadAllText(cert);

        // s_server cannot bind port 0 and say which port it got: take a free one from the OS and retry if it is taken meanwhile.
        for (int attempt = 0; attempt < 5; attempt++)
        {
            int port = FreePort();
            ExternalProcess server = ExternalProcess.Start(Tools.OpenSsl, "s_server", "-accept", $"127.0.0.1:{port}", "-cert", cert, "-key", key,
                "-cert2", cert, "-key2", key, "-servername", "localhost", "-servername_fatal", "-www");
            if (await server.WaitForLineAsync(l => l == "ACCEPT", TimeSpan.FromSeconds(10)) is not null)
            {
                _server = server;
                Port = port;
                return;
            }
            string failure = server.Output;
            server.Dispose();
            if (attempt == 4) throw new InvalidOperationException("openssl s_server did not start: " + failure);
        }
    }

    public Uri Url(string path = "/") => new($"https://127.0.0.1:{Port}{path}");

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public Task DisposeAsync()
    {
        _server?.Dispose();
        _server = null;
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        return Task.CompletedTask;
    }
}

/// <summary>Small shared helpers for the HTTP tests.</summary>
internal static class HttpTest
{
    /// <summary>Every wait on the engine is bounded by this, so a hang fails the test instead of stalling the run.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    public static Task<HttpResponse> SendAsync(HttpRequestOptions o, Stream? body = null, Stream? raw = null, IEventSink? events = null) =>
        RawHttpClient.SendAsync(o, body, raw, events ?? new HttpEventRecorder(), CancellationToken.None).WaitAsync(Bound);

    public static async Task<NsockException> FailsAsync(HttpRequestOptions o, Stream? body = null, Stream? raw = null, IEventSink? events = null) =>
        await Xunit.Assert.ThrowsAsync<NsockException>(() => SendAsync(o, body, raw, events));

    public static string Text(byte[]? bytes) => bytes is null ? "<null>" : Encoding.Latin1.GetString(bytes);

    public static byte[] Bytes(string latin1) => Encoding.Latin1.GetBytes(latin1);
}
