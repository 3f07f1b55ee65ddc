using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Cli.Tests;

/// <summary>
/// A process this test started: stdin is a raw byte stream, stdout and stderr are captured byte-exact as they
/// arrive, every wait is bounded, and Dispose kills the process (and only it, by its Process object) if it
/// is still running.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    /// <summary>The bound on any single wait; a hang fails the test instead of stalling the run.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly string _commandLine;
    private int _stdinClosed;

    private ChildProcess(Process process, string commandLine)
    {
        _process = process;
        _commandLine = commandLine;
        StdOut = new Capture(process.StandardOutput.BaseStream);
        StdErr = new Capture(process.StandardError.BaseStream);
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Raw bytes to the child's stdin.</summary>
    public Stream StdIn => _process.StandardInput.BaseStream;

    public Capture StdOut { get; }

    public Capture StdErr { get; }

    public static ChildProcess Start(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (string a in args) info.ArgumentList.Add(a);
        foreach (KeyValuePair<string, string> e in environment ?? new Dictionary<string, string>()) info.Environment[e.Key] = e.Value;
        string commandLine = fileName + " " + string.Join(" ", info.ArgumentList);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {commandLine}");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"could not start {commandLine}: {e.Message} (is it installed?)", e);
        }
        return new ChildProcess(process, commandLine);
    }

    /// <summary>Writes <paramref name="data"/> to stdin (bounded by <paramref name="timeout"/>), then closes stdin if asked.</summary>
    public async Task WriteStdInAsync(byte[] data, bool close = true, TimeSpan? timeout = null)
    {
        Task write = Task.Run(async () =>
        {
            await StdIn.WriteAsync(data);
            await StdIn.FlushAsync();
        });
        await Bounded(write, timeout, $"writing {data.Length} bytes to stdin");
        if (close) CloseStdIn();
    }

    /// <summary>End of input for the child (idempotent; a child that already exited is fine).</summary>
    public void CloseStdIn()
    {
        if (Interlocked.Exchange(ref _stdinClosed, 1) != 0) return;
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The child exited and the pipe is broken: its input has ended either way.
        }
    }

    /// <summary>Waits for exit and for stdout/stderr to be fully read; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        await Bounded(_process.WaitForExitAsync(), timeout, "exit");
        await Bounded(Task.WhenAll(StdOut.Completed, StdErr.Completed), timeout, "stdout/stderr to end");
        return _process.ExitCode;
    }

    /// <summary>True when the process exits within <paramref name="timeout"/> (no exception when it does not).</summary>
    public async Task<bool> ExitsWithinAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        CloseStdIn();
        _process.Dispose();
    }

    public override string ToString() => _commandLine;

    private async Task Bounded(Task task, TimeSpan? timeout, string what)
    {
        TimeSpan limit = timeout ?? DefaultTimeout;
        try
        {
            await task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"'{_commandLine}' did not finish {what} within {limit.TotalSeconds:0.#}s. stderr so far: {StdErr.Text}");
        }
    }

    /// <summary>One output stream of the child, read continuously so the child never blocks on a full pipe.</summary>
    internal sealed class Capture
    {
        private readonly object _lock = new();
        private readonly MemoryStream _bytes = new();
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Capture(Stream stream) => Completed = Task.Run(() => PumpAsync(stream));

        /// <summary>Completes when the stream reaches end of file.</summary>
        public Task Completed { get; }

        public byte[] Bytes
        {
            get { lock (_lock) return _bytes.ToArray(); }
        }

        public long Length
        {
            get { lock (_lock) return _bytes.Length; }
        }

        public string Text => Encoding.UTF8.GetString(Bytes);

        public string[] Lines => Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        /// <summary>Waits for a complete line that satisfies <paramref name="match"/> and returns it.</summary>
        public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan? timeout = null)
        {
            TimeSpan limit = timeout ?? DefaultTimeout;
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                bool ended = Completed.IsCompleted; // read first: then the snapshot below holds everything
                Task changed;
                string text;
                lock (_lock)
                {
                    changed = _changed.Task;
                    text = Encoding.UTF8.GetString(_bytes.GetBuffer(), 0, (int)_bytes.Length);
                }
                int lastNewline = text.LastIndexOf('\n');
                if (lastNewline >= 0)
                {
                    string? line = text[..lastNewline].Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(match);
                    if (line is not null) return line;
                }
                if (ended) throw new InvalidOperationException($"the stream ended without the expected line; it held: {text}");
                TimeSpan left = limit - deadline.Elapsed;
                if (left <= TimeSpan.Zero) throw new TimeoutException($"no expected line within {limit.TotalSeconds:0.#}s; got: {text}");
                await Task.WhenAny(changed, Completed, Task.Delay(left));
            }
        }

        /// <summary>Waits until at least <paramref name="count"/> bytes arrived.</summary>
        public async Task WaitForBytesAsync(long count, TimeSpan? timeout = null)
        {
            TimeSpan limit = timeout ?? DefaultTimeout;
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                bool ended = Completed.IsCompleted;
                Task changed;
                lock (_lock)
                {
                    if (_bytes.Length >= count) return;
                    changed = _changed.Task;
                }
                if (ended) throw new InvalidOperationException($"the stream ended after {Length} of {count} bytes");
                TimeSpan left = limit - deadline.Elapsed;
                if (left <= TimeSpan.Zero) throw new TimeoutException($"only {Length} of {count} bytes within {limit.TotalSeconds:0.#}s");
                await Task.WhenAny(changed, Completed, Task.Delay(left));
            }
        }

        private async Task PumpAsync(Stream stream)
        {
            byte[] buffer = new byte[64 * 1024];
            try
            {
                int n;
                while ((n = await stream.ReadAsync(buffer)) > 0)
                {
                    lock (_lock)
                    {
                        _bytes.Write(buffer, 0, n);
                        Signal();
                    }
                }
            }
            catch (IOException)
            {
                // The pipe broke because the process was killed: what arrived is what there is.
            }
            catch (ObjectDisposedException)
            {
            }
            finally
            {
                lock (_lock) Signal();
            }
        }

        private void Signal()
        {
            TaskCompletionSource done = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            done.TrySetResult();
        }
    }
}

/// <summary>How a finished nsock run ended.</summary>
internal sealed record NsockResult(int ExitCode, byte[] StdOut, string StdErr)
{
    public string Out => Encoding.UTF8.GetString(StdOut);

    public override string ToString() => $"exit {ExitCode}, stdout {StdOut.Length} bytes, stderr: {StdErr}";
}

/// <summary>A running <c>nsock listen ... --json</c> and the real port from its ready line.</summary>
internal sealed record RunningListener(ChildProcess Process, int Port, JsonElement Ready, bool ReadyOnStdout) : IDisposable
{
    public void Dispose() => Process.Dispose();
}

/// <summary>Finds the nsock binary under test and runs it.</summary>
internal static class Nsock
{
    private static readonly Lazy<(string File, string[] Prefix)> s_command = new(Locate);

    /// <summary>The binary: NSOCK_BIN, else the repo's artifacts/bin/nsock, else the nsock.dll built beside these tests.</summary>
    public static string Description => string.Join(" ", new[] { s_command.Value.File }.Concat(s_command.Value.Prefix));

    public static ChildProcess Start(params string[] args) =>
        ChildProcess.Start(s_command.Value.File, s_command.Value.Prefix.Concat(args));

    /// <summary>
    /// Starts nsock with SIGINT and SIGTERM at their default disposition. A process started in the background of a
    /// non-interactive shell inherits SIGINT as ignored, and the runtime (rightly) keeps ignoring it; a person
    /// pressing Ctrl+C runs nsock in the foreground, where it is not ignored. env(1) restores that, then execs,
    /// so the PID is nsock's own.
    /// </summary>
    public static ChildProcess StartWithDefaultSignals(params string[] args) =>
        ChildProcess.Start("/usr/bin/env", new[] { "--default-signal=INT,TERM", s_command.Value.File }.Concat(s_command.Value.Prefix).Concat(args));

    /// <summary>
    /// Runs nsock with stdin redirected from a regular file by the shell (<c>nsock ... &lt; file</c>), the way a
    /// person uploads a file; nsock then sees a seekable file on fd 0 rather than a pipe.
    /// </summary>
    public static async Task<NsockResult> RunWithStdinFromFileAsync(string file, params string[] args)
    {
        using ChildProcess p = ChildProcess.Start("/bin/sh",
            new[] { "-c", "f=$1; shift; exec \"$@\" < \"$f\"", "sh", file, s_command.Value.File }.Concat(s_command.Value.Prefix).Concat(args));
        p.CloseStdIn();
        int code = await p.WaitForExitAsync();
        return new NsockResult(code, p.StdOut.Bytes, p.StdErr.Text);
    }

    /// <summary>Runs nsock to completion with <paramref name="stdin"/> (empty when null) and returns how it ended.</summary>
    public static async Task<NsockResult> RunAsync(string[] args, byte[]? stdin = null, TimeSpan? timeout = null)
    {
        using ChildProcess p = Start(args);
        Task write = p.WriteStdInAsync(stdin ?? Array.Empty<byte>(), close: true, timeout);
        int code = await p.WaitForExitAsync(timeout);
        try
        {
            await write;
        }
        catch (IOException)
        {
            // nsock may rightly exit without reading all of its stdin (an error, --recv-only).
        }
        return new NsockResult(code, p.StdOut.Bytes, p.StdErr.Text);
    }

    public static Task<NsockResult> RunAsync(params string[] args) => RunAsync(args, null, null);

    /// <summary>Runs nsock to completion with these environment variables set and an empty stdin.</summary>
    public static async Task<NsockResult> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using ChildProcess p = ChildProcess.Start(s_command.Value.File, s_command.Value.Prefix.Concat(args), environment);
        p.CloseStdIn();
        int code = await p.WaitForExitAsync();
        return new NsockResult(code, p.StdOut.Bytes, p.StdErr.Text);
    }

    /// <summary>
    /// Starts <c>nsock listen ENDPOINT [options] --json</c> and waits for its ready line (on stdout when stdout
    /// carries no data, on stderr when it does) to learn the real port.
    /// </summary>
    public static async Task<RunningListener> ListenAsync(params string[] args)
    {
        ChildProcess p = Start(args.Prepend("listen").Append("--json").ToArray());
        try
        {
            static bool IsReady(string line) => line.StartsWith('{') && line.Contains("\"event\":\"ready\"", StringComparison.Ordinal);
            Task<string> onOut = p.StdOut.WaitForLineAsync(IsReady);
            Task<string> onErr = p.StdErr.WaitForLineAsync(IsReady);
            Task<string> first = await Task.WhenAny(onOut, onErr);
            if (first.IsFaulted) first = first == onOut ? onErr : onOut; // that stream ended: the other decides
            string line = await first;
            using JsonDocument doc = JsonDocument.Parse(line);
            JsonElement ready = doc.RootElement.Clone();
            return new RunningListener(p, ready.GetProperty("port").GetInt32(), ready, first == onOut);
        }
        catch
        {
            p.Dispose();
            throw;
        }
    }

    private static (string File, string[] Prefix) Locate()
    {
        string? repo = null;
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null && repo is null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "tool.nuspec"))) repo = dir.FullName;
        }
        string? env = Environment.GetEnvironmentVariable("NSOCK_BIN");
        if (!string.IsNullOrWhiteSpace(env))
        {
            // A relative NSOCK_BIN is taken from the current folder, else from the repository root.
            string full = Path.GetFullPath(env);
            if (!File.Exists(full) && repo is not null) full = Path.GetFullPath(Path.Combine(repo, env));
            if (!File.Exists(full)) throw new FileNotFoundException($"NSOCK_BIN is '{env}', but no such file exists");
            return (full, Array.Empty<string>());
        }
        if (repo is not null)
        {
            string native = Path.Combine(repo, "artifacts", "bin", OperatingSystem.IsWindows() ? "nsock.exe" : "nsock");
            if (File.Exists(native)) return (native, Array.Empty<string>());
        }
        string dll = Path.Combine(AppContext.BaseDirectory, "nsock.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"no nsock binary: set NSOCK_BIN, run scripts/build, or build so {dll} exists");
        return ("dotnet", new[] { dll });
    }

    /// <summary>The program and arguments that run nsock with <paramref name="args"/>, for a wrapper to start (ip netns exec, strace).</summary>
    public static string[] CommandLine(params string[] args) =>
        new[] { s_command.Value.File }.Concat(s_command.Value.Prefix).Concat(args).ToArray();
}
