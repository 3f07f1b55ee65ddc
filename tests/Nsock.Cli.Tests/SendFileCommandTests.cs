using System;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>
/// <c>nsock send-file</c> run in-process against an in-process <c>listen --receive-files</c>; the binary under test
/// where a process must die or live under a limit (killed mid-file, a file size limit, a hostile header); and
/// <c>--raw</c> into Debian's OpenBSD <c>nc -l</c>.
/// </summary>
public sealed class SendFileCommandTests : IDisposable
{
    private static readonly TimeSpan Bound = ChildProcess.DefaultTimeout;
    private readonly TempDir _tmp = new();
    private readonly string _dir;

    public SendFileCommandTests()
    {
        _dir = _tmp.File("recv");
        Directory.CreateDirectory(_dir);
    }

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task Send_file_command_sends_a_folder_and_a_file_and_prints_one_verified_line_each()
    {
        string proj = _tmp.File("send/proj");
        byte[] a = Data.Random(1000), b = Data.Random(70_000);
        Write(Path.Combine(proj, "a.txt"), a);
        Write(Path.Combine(proj, "sub", "b.bin"), b);
        string empty = Write(_tmp.File("send/c.empty"), Array.Empty<byte>());
        await using Receiver receiver = await Receiver.StartAsync(_dir);

        InProcessResult run = await InProcess.RunAsync("send-file", receiver.Address, proj, empty);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Err);
        string[] lines = Lines(run.Out);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith($"sent proj/a.txt: 1000 bytes xxh128={Xxh(a)} verified", lines[0]);
        Assert.StartsWith($"sent proj/sub/b.bin: 70000 bytes xxh128={Xxh(b)} verified", lines[1]);
        Assert.StartsWith($"sent c.empty: 0 bytes xxh128=99aa06d3014798d86001c324468d497f verified", lines[2]);
        Assert.Equal(a, File.ReadAllBytes(Path.Combine(_dir, "proj", "a.txt")));
        Assert.Equal(b, File.ReadAllBytes(Path.Combine(_dir, "proj", "sub", "b.bin")));
        Assert.Empty(File.ReadAllBytes(Path.Combine(_dir, "c.empty")));
        Assert.All(await receiver.Sink.WaitForAsync<FileResult>(3), r => Assert.True(r.Verified, r.Path));
    }

    [Fact]
    public async Task Send_file_command_with_a_glob_and_exclude_sends_only_the_matching_files()
    {
        string logs = _tmp.File("send/logs");
        byte[] d = Data.Random(40);
        Write(Path.Combine(logs, "a.log"), Data.Random(10));
        Write(Path.Combine(logs, "skip", "b.log"), Data.Random(20));
        Write(Path.Combine(logs, "deep", "skip", "c.log"), Data.Random(30));
        Write(Path.Combine(logs, "deep", "d.log"), d);
        Write(Path.Combine(logs, "deep", "e.txt"), Data.Random(50));
        await using Receiver receiver = await Receiver.StartAsync(_dir);

        InProcessResult run = await InProcess.RunAsync("send-file", receiver.Address, logs.Replace('\\', '/') + "/**/*.log", "--exclude", "**/skip/**");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(new[] { "a.log", "deep", "deep/d.log" }, Entries(_dir));
        Assert.Equal(d, File.ReadAllBytes(Path.Combine(_dir, "deep", "d.log")));
    }

    [Fact]
    public async Task Send_file_command_with_a_missing_path_exits_2_naming_it_without_connecting()
    {
        string missing = _tmp.File("no-such-file.bin");

        InProcessResult run = await InProcess.RunAsync("send-file", "127.0.0.1:" + FreePort.Closed(), missing);

        Assert.Equal(2, run.ExitCode); // not 3 (refused): nothing was connected to
        Assert.Equal($"nsock: '{missing}' does not exist", Lines(run.Err).Single());
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task Send_file_command_with_a_pattern_matching_nothing_exits_2_naming_it()
    {
        string pattern = _tmp.Path.Replace('\\', '/') + "/**/*.nothing";

        InProcessResult run = await InProcess.RunAsync("send-file", "127.0.0.1:" + FreePort.Closed(), pattern);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"'{pattern}' matches no file", run.Err);
    }

    [Fact]
    public async Task Send_file_command_exits_1_when_a_file_does_not_arrive_and_says_how_many()
    {
        string small = Write(_tmp.File("send/small.bin"), Data.Random(100));
        string big = Write(_tmp.File("send/big.bin"), Data.Random(5000));
        await using Receiver receiver = await Receiver.StartAsync(_dir, maxBytes: 1000);

        InProcessResult run = await InProcess.RunAsync("send-file", receiver.Address, small, big);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("refused big.bin: 5000 bytes: it would pass the receiver's limit of 1000 bytes (--max-bytes)", run.Out);
        Assert.Contains("nsock: 1 of 2 files did not arrive", run.Err);
        Assert.Equal(new[] { "small.bin" }, Entries(_dir));
    }

    [Fact]
    public async Task Send_file_command_counts_a_skipped_existing_file_as_arrived()
    {
        File.WriteAllText(Path.Combine(_dir, "same.txt"), "already here");
        string same = Write(_tmp.File("send/same.txt"), Data.Random(100));
        await using Receiver receiver = await Receiver.StartAsync(_dir);

        InProcessResult run = await InProcess.RunAsync("send-file", receiver.Address, same);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("skipped same.txt: 100 bytes: the file exists", run.Out);
        Assert.Equal("already here", File.ReadAllText(Path.Combine(_dir, "same.txt")));
    }

    [Fact]
    public async Task Send_file_command_with_json_writes_one_file_event_per_file_on_stdout()
    {
        byte[] content = Data.Random(3000);
        string file = Write(_tmp.File("send/j.bin"), content);
        await using Receiver receiver = await Receiver.StartAsync(_dir);

        InProcessResult run = await InProcess.RunAsync("send-file", receiver.Address, file, "--json");

        Assert.Equal(0, run.ExitCode);
        JsonElement result = Assert.Single(Json(run.Out), e => e.GetProperty("event").GetString() == "file");
        Assert.Equal("j.bin", result.GetProperty("path").GetString());
        Assert.Equal("sent", result.GetProperty("status").GetString());
        Assert.True(result.GetProperty("verified").GetBoolean());
        Assert.Equal("xxh128", result.GetProperty("algorithm").GetString());
        Assert.Equal(Xxh(content), result.GetProperty("digest").GetString());
        Assert.False(result.TryGetProperty("sha256", out _), "sha256 is there only when the digest is one");
        Assert.Equal(3000, result.GetProperty("size").GetInt64());
    }

    [Fact]
    public async Task Send_file_command_with_hash_sha256_prints_and_writes_the_sha256_as_sha256sum_does()
    {
        byte[] content = Data.Random(5000);
        string file = Write(_tmp.File("send/s.bin"), content);
        await using Receiver receiver = await Receiver.StartAsync(_dir);

        InProcessResult text = await InProcess.RunAsync("send-file", receiver.Address, file, "--hash", "sha256");

        Assert.Equal(0, text.ExitCode);
        Assert.StartsWith($"sent s.bin: 5000 bytes sha256={Sha(content)} verified", text.Out);
        FileResult received = Assert.Single(await receiver.Sink.WaitForAsync<FileResult>());
        Assert.Equal((FileHashAlgorithm.SHA256, Sha(content)), (received.Algorithm, received.Digest));
    }

    [Fact]
    public async Task Send_file_command_with_json_and_hash_sha256_keeps_the_sha256_field_beside_algorithm_and_digest()
    {
        byte[] content = Data.Random(3000);
        string file = Write(_tmp.File("send/j.bin"), content);
        await using Receiver receiver = await Receiver.StartAsync(_dir);

        InProcessResult run = await InProcess.RunAsync("send-file", receiver.Address, file, "--hash", "sha256", "--json");

        Assert.Equal(0, run.ExitCode);
        JsonElement result = Assert.Single(Json(run.Out), e => e.GetProperty("event").GetString() == "file");
        Assert.Equal("sha256", result.GetProperty("algorithm").GetString());
        Assert.Equal(Sha(content), result.GetProperty("digest").GetString());
        Assert.Equal(Sha(content), result.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task Send_file_command_refuses_a_hash_it_does_not_know_naming_the_allowed_ones()
    {
        string file = Write(_tmp.File("send/x.bin"), new byte[] { 1 });

        InProcessResult run = await InProcess.RunAsync("send-file", "127.0.0.1:9", file, "--hash", "md5");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--hash takes xxh128 or sha256, not 'md5'", run.Err);
    }

    [Fact]
    public async Task Send_file_command_with_resume_continues_a_partial_and_says_where()
    {
        byte[] content = Data.Random(50_000);
        string file = Write(_tmp.File("send/r.bin"), content);
        File.WriteAllBytes(Path.Combine(_dir, ".r.bin.nsock-partial"), content.AsSpan(0, 12_345).ToArray());
        await using Receiver receiver = await Receiver.StartAsync(_dir);

        InProcessResult run = await InProcess.RunAsync("send-file", receiver.Address, file, "--resume");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("verified (resumed at 12345)", run.Out);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(_dir, "r.bin")));
        Assert.Equal(new[] { "r.bin" }, Entries(_dir));
    }

    [Theory]
    [InlineData("two files", "--raw sends exactly one file; these name 2")]
    [InlineData("resume", "--raw has no resume: the far side is a plain byte sink")]
    [InlineData("udp", "files go over a stream (tcp or unix), not UDP")]
    public async Task Send_file_command_refuses_what_it_cannot_do_with_bad_input(string what, string message)
    {
        string one = Write(_tmp.File("send/1.bin"), Data.Random(10));
        string two = Write(_tmp.File("send/2.bin"), Data.Random(10));
        string port = FreePort.Closed().ToString(CultureInfo.InvariantCulture);
        string[] args = what switch
        {
            "two files" => new[] { "send-file", "127.0.0.1:" + port, "--raw", one, two },
            "resume" => new[] { "send-file", "127.0.0.1:" + port, "--raw", "--resume", one },
            _ => new[] { "send-file", "udp://127.0.0.1:" + port, one },
        };

        InProcessResult run = await InProcess.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Err);
    }

    [Fact]
    public async Task Send_file_command_raw_delivers_a_file_to_openbsd_nc_byte_for_byte()
    {
        byte[] content = Data.Random(3 * 1024 * 1024 + 77);
        string file = Write(_tmp.File("send/raw.bin"), content);
        using Peers.Server nc = await Peers.NcListenAsync(); // nc -l 127.0.0.1 PORT, its stdout is the "> out"
        nc.Process.CloseStdIn();

        InProcessResult run = await InProcess.RunAsync("send-file", "127.0.0.1:" + nc.Port, "--raw", file);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith($"sent raw.bin: {content.Length} bytes", run.Out);
        Assert.Equal(0, await nc.Process.WaitForExitAsync());
        Assert.Equal(content.Length, nc.Process.StdOut.Length);
        Assert.Equal(Data.Sha256(content), Data.Sha256(nc.Process.StdOut.Bytes));
    }

    [Fact]
    public async Task Killed_send_file_process_leaves_only_a_partial_and_resume_completes_it()
    {
        const long size = 300L * 1024 * 1024;
        string big = _tmp.File("big.bin");
        string sha = WriteRandom(big, size);
        string final = Path.Combine(_dir, "big.bin");
        string partial = Path.Combine(_dir, ".big.bin.nsock-partial");
        await using Receiver receiver = await Receiver.StartAsync(_dir, keepOpen: true);

        using (ChildProcess sender = Nsock.Start("send-file", receiver.Address, big))
        {
            // Kill it (Dispose kills the process it started) once the receiver holds some but not all of the file.
            var watch = Stopwatch.StartNew();
            long seen;
            while ((seen = LengthOrZero(partial)) == 0 || seen == size)
            {
                Assert.False(File.Exists(final), "the whole 300 MiB arrived before the sender could be killed");
                Assert.False(sender.HasExited, "the sender exited by itself: " + sender.StdErr.Text);
                Assert.True(watch.Elapsed < Bound, "no partial appeared");
                await Task.Delay(1);
            }
        }
        FileResult stopped = Assert.Single(await receiver.Sink.WaitForAsync<FileResult>());
        Assert.Equal((FileStatus.Failed, false), (stopped.Status, stopped.Verified));
        Assert.Contains("partial kept for --resume", stopped.Reason);
        Assert.False(File.Exists(final), "a file the sender never finished is under its final name");
        long kept = new FileInfo(partial).Length;
        Assert.InRange(kept, 1, size - 1);

        FileResult r = Assert.Single(await SendAsync(receiver.Port, new[] { new FileToSend(big, "big.bin", size) }, resume: true, FileHashAlgorithm.SHA256));

        Assert.Equal((FileStatus.Sent, true, kept), (r.Status, r.Verified, r.ResumedFrom));
        Assert.Equal(sha, r.Sha256);
        Assert.Equal(sha, Sha256OfFile(final));
        Assert.False(File.Exists(partial), "the partial is still there after the file was placed");
        FileResult placed = (await receiver.Sink.WaitForAsync<FileResult>(2))[1];
        Assert.Equal((FileStatus.Received, true, kept, sha), (placed.Status, placed.Verified, placed.ResumedFrom, placed.Sha256));
    }

    [Fact]
    public async Task Listen_and_send_file_binaries_move_a_folder_and_the_listener_reports_each_file_as_json()
    {
        string tree = _tmp.File("send/tree");
        byte[] x = Data.Random(123_456), y = Data.Random(7);
        Write(Path.Combine(tree, "x.bin"), x);
        Write(Path.Combine(tree, "in", "y.bin"), y);
        using RunningListener listener = await Nsock.ListenAsync("127.0.0.1:0", "--receive-files", _dir);

        NsockResult sent = await Nsock.RunAsync("send-file", "127.0.0.1:" + listener.Port, tree);

        Assert.True(sent.ExitCode == 0, sent.ToString());
        Assert.Equal(0, await listener.Process.WaitForExitAsync()); // no -k: one sender, then it stops
        Assert.Equal(x, File.ReadAllBytes(Path.Combine(_dir, "tree", "x.bin")));
        Assert.Equal(y, File.ReadAllBytes(Path.Combine(_dir, "tree", "in", "y.bin")));
        JsonElement[] files = Json(listener.Process.StdOut.Text).Where(e => e.GetProperty("event").GetString() == "file").ToArray();
        Assert.Equal(new[] { "tree/in/y.bin", "tree/x.bin" }, files.Select(f => f.GetProperty("path").GetString()).OrderBy(p => p, StringComparer.Ordinal));
        Assert.All(files, f => Assert.Equal("received", f.GetProperty("status").GetString()));
        JsonElement xr = files.Single(f => f.GetProperty("path").GetString() == "tree/x.bin");
        Assert.Equal(("xxh128", Xxh(x)), (xr.GetProperty("algorithm").GetString(), xr.GetProperty("digest").GetString()));
        // The sender's session ends with a closed event, as every other mode's clients do (bytes each way).
        JsonElement closed = Assert.Single(Json(listener.Process.StdOut.Text), e => e.GetProperty("event").GetString() == "closed");
        Assert.InRange(closed.GetProperty("bytesReceived").GetInt64(), x.Length + y.Length, x.Length + y.Length + 1000);
        Assert.True(closed.GetProperty("bytesSent").GetInt64() > 0);
    }

    [Fact]
    public async Task Receiving_listener_with_timeout_drops_a_silent_sender_after_it_and_says_so_in_json()
    {
        using RunningListener listener = await Nsock.ListenAsync("127.0.0.1:0", "--receive-files", _dir, "-k", "--timeout", "1");
        using Socket s = await Loopback.ConnectAsync(listener.Port);
        await s.SendAsync(new byte[] { (byte)'N', (byte)'S', (byte)'F', (byte)'T', 2, 0 });
        Assert.Equal(new byte[] { (byte)'N', (byte)'S', (byte)'F', (byte)'T', 2, 0 }, await Loopback.ReadExactlyAsync(s, 6));

        Assert.Empty(await ReadUpToAsync(s, 1)); // closed by the receiver: the header never came

        string line = await listener.Process.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"closed\"", StringComparison.Ordinal));
        Assert.Contains("the next file header did not arrive within 1s", JsonDocument.Parse(line).RootElement.GetProperty("error").GetString());
        Assert.False(listener.Process.HasExited);
    }

    [Fact]
    public async Task Send_file_command_refuses_a_fifo_by_name_with_exit_2()
    {
        if (OperatingSystem.IsWindows()) return; // no FIFOs in Windows folders
        string fifo = Path.Combine(_tmp.File("send"), "pipe");
        Directory.CreateDirectory(Path.GetDirectoryName(fifo)!);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)!)
        {
            Assert.True(mkfifo.WaitForExit(10_000));
        }

        NsockResult run = await Nsock.RunAsync("send-file", "127.0.0.1:" + FreePort.Closed().ToString(CultureInfo.InvariantCulture), fifo);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is not a regular file (it is a FIFO (named pipe))", run.StdErr);
    }

    [LinuxTheory]
    [InlineData(3 * 1024 * 1024)] // under 4 MiB: the receiver hashes and writes inline
    [InlineData(6 * 1024 * 1024)] // over: a second thread hashes and writes
    public async Task Receiving_listener_that_cannot_write_fails_the_file_cleanly_and_takes_the_next(int size)
    {
        // No tmpfs without root, so the write error comes from a file size limit (ulimit -f, RLIMIT_FSIZE): a real
        // kernel refusal (EFBIG) of the receiver's write, as a FAT32 stick gives past 4 GiB.
        string big = Write(_tmp.File("send/big.bin"), Data.Random(size));
        string small = Write(_tmp.File("send/small.bin"), Data.Random(1000));
        // 2048 blocks of 512 bytes (POSIX sh) = 1 MiB; SIGXFSZ ignored so the write fails instead of killing the
        // process; W^X off because the JIT's double-mapped code heap is a file the limit would cap too. -k keeps the
        // listener up after this sender, so "still running" below means it survived, not that it had not yet ended.
        using ChildProcess listener = ChildProcess.Start("/usr/bin/env", new[] { "DOTNET_EnableWriteXorExecute=0", "/bin/sh", "-c", "trap '' XFSZ; ulimit -f 2048; exec \"$@\"", "sh" }
            .Concat(NsockCommand()).Concat(new[] { "listen", "127.0.0.1:0", "--receive-files", _dir, "--json", "-k" }));
        string ready = await listener.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"ready\"", StringComparison.Ordinal));
        int port = JsonDocument.Parse(ready).RootElement.GetProperty("port").GetInt32();

        IReadOnlyList<FileResult> results;
        try
        {
            results = await SendAsync(port, new FileToSend(big, "big.bin", size), new FileToSend(small, "small.bin", 1000));
        }
        catch (NsockException e)
        {
            await listener.ExitsWithinAsync(TimeSpan.FromSeconds(2));
            throw new Xunit.Sdk.XunitException($"the session broke ({e.Message}); listener exited: {listener.HasExited}; its stderr:\n{listener.StdErr.Text}");
        }

        Assert.Equal(new[] { FileStatus.Failed, FileStatus.Sent }, results.Select(r => r.Status));
        Assert.StartsWith("writing failed on the receiver", results[0].Reason);
        Assert.Equal(new[] { "small.bin" }, Entries(_dir)); // no partial of a file that failed to write
        Assert.False(listener.HasExited, "the listener died: " + listener.StdErr.Text);
    }

    [Theory]
    [InlineData(long.MaxValue - 1)] // ms since 1970: far past year 9999
    [InlineData(-100_000_000_000_000L)] // before year 1
    public async Task Receiving_listener_survives_a_modification_time_out_of_range(long mtime)
    {
        using RunningListener listener = await Nsock.ListenAsync("127.0.0.1:0", "--receive-files", _dir, "-k");
        byte[] content = Data.Random(100);

        char verdict;
        using (Socket s = await Loopback.ConnectAsync(listener.Port))
        {
            await s.SendAsync(new byte[] { (byte)'N', (byte)'S', (byte)'F', (byte)'T', 1, 0 });
            Assert.Equal(new byte[] { (byte)'N', (byte)'S', (byte)'F', (byte)'T', 1, 0 }, await Loopback.ReadExactlyAsync(s, 6));
            await s.SendAsync(Header("clock.bin", content.Length, 0x1A4, mtime));
            Assert.Equal((byte)'A', (await Loopback.ReadExactlyAsync(s, 9))[0]);
            await s.SendAsync(content);
            await s.SendAsync(SHA256.HashData(content));
            byte[] answer = await ReadUpToAsync(s, 1);
            verdict = answer.Length == 0 ? '-' : (char)answer[0];
        }

        Assert.True(verdict is 'V' or 'X', $"no verdict (session ended); listener exited: {await listener.Process.ExitsWithinAsync(TimeSpan.FromSeconds(2))}; stderr:\n{listener.Process.StdErr.Text}");
        Assert.False(listener.Process.HasExited, "the listener died: " + listener.Process.StdErr.Text);
        string next = Write(_tmp.File("send/next.bin"), Data.Random(10));
        FileResult r = Assert.Single(await SendAsync(listener.Port, new FileToSend(next, "next.bin", 10)));
        Assert.True(r.Verified);
    }

    // ---- helpers ----

    /// <summary>A theory for Linux only (/bin/sh, ulimit); skipped elsewhere, saying so.</summary>
    public sealed class LinuxTheoryAttribute : TheoryAttribute
    {
        public LinuxTheoryAttribute()
        {
            if (!OperatingSystem.IsLinux()) Skip = "needs Linux (/bin/sh and ulimit -f)";
        }
    }

    // The binary under test as the harness runs it ("dotnet nsock.dll" or one native path), to put under sh -c.
    private static string[] NsockCommand()
    {
        string d = Nsock.Description;
        return d.StartsWith("dotnet ", StringComparison.Ordinal) ? new[] { "dotnet", d.Substring("dotnet ".Length) } : new[] { d };
    }

    private static async Task<IReadOnlyList<FileResult>> SendAsync(int port, FileToSend file, params FileToSend[] more) =>
        await SendAsync(port, new[] { file }.Concat(more).ToArray(), resume: false);

    private static async Task<IReadOnlyList<FileResult>> SendAsync(int port, FileToSend file, bool resume) =>
        await SendAsync(port, new[] { file }, resume);

    private static async Task<IReadOnlyList<FileResult>> SendAsync(int port, FileToSend[] files, bool resume, FileHashAlgorithm hash = FileHashAlgorithm.XXH128)
    {
        using var cts = new CancellationTokenSource(Bound);
        var options = new FileSendOptions { Resume = resume, Hash = hash, Timeout = Bound, Connect = new ConnectOptions { Timeout = Bound } };
        var plan = new SendFilesPlan(new Endpoint(Transport.Tcp, "127.0.0.1", port), files, options, RawOptions: null);
        return (await plan.RunAsync(new Sink(), cts.Token).WaitAsync(Bound)).Results;
    }

    private static string Sha(byte[] data) => Data.Sha256(data).ToLowerInvariant(); // FileResult has lowercase hex

    private static string Xxh(byte[] data) => Convert.ToHexString(System.IO.Hashing.XxHash128.Hash(data)).ToLowerInvariant();

    private static string[] Lines(string text) => text.Replace("\r\n", "\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static JsonElement[] Json(string text) => Lines(text).Select(l => JsonDocument.Parse(l).RootElement).ToArray();

    private static string Write(string path, byte[] content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    // Random bytes, a MiB at a time, hashed on the way: a 300 MiB file without a 300 MiB array.
    private static string WriteRandom(string path, long size)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        var buffer = new byte[1024 * 1024];
        for (long left = size; left > 0; left -= buffer.Length)
        {
            int n = (int)Math.Min(buffer.Length, left);
            Random.Shared.NextBytes(buffer.AsSpan(0, n));
            hash.AppendData(buffer, 0, n);
            file.Write(buffer, 0, n);
        }
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    private static string Sha256OfFile(string path)
    {
        using FileStream f = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(f)).ToLowerInvariant();
    }

    private static long LengthOrZero(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? info.Length : 0;
        }
        catch (IOException)
        {
            return 0; // renamed away between the two looks
        }
    }

    private static string[] Entries(string dir) =>
        Directory.EnumerateFileSystemEntries(dir, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(p => Path.GetRelativePath(dir, p).Replace('\\', '/')).OrderBy(p => p, StringComparer.Ordinal).ToArray();

    // Up to `count` bytes; fewer (maybe none) if the peer closes or resets first.
    private static async Task<byte[]> ReadUpToAsync(Socket s, int count)
    {
        var data = new byte[count];
        int got = 0;
        try
        {
            int n;
            while (got < count && (n = await s.ReceiveAsync(data.AsMemory(got)).AsTask().WaitAsync(Bound)) > 0) got += n;
        }
        catch (SocketException)
        {
        }
        return data.AsSpan(0, got).ToArray();
    }

    // A file header of the nsock file protocol, written by hand (big-endian): 'F' u16 length, name, u64 size, u32 mode, i64 mtime.
    private static byte[] Header(string path, long size, uint mode, long mtime)
    {
        byte[] name = Encoding.UTF8.GetBytes(path);
        var b = new byte[1 + 2 + name.Length + 20];
        b[0] = (byte)'F';
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(1), (ushort)name.Length);
        name.CopyTo(b, 3);
        BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(3 + name.Length), size);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(11 + name.Length), mode);
        BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(15 + name.Length), mtime);
        return b;
    }

    /// <summary>Keeps every engine event; waits (bounded) for some.</summary>
    private sealed class Sink : IEventSink
    {
        private readonly ConcurrentQueue<NsockEvent> _events = new();

        public void Emit(NsockEvent e) => _events.Enqueue(e);

        public async Task<IReadOnlyList<T>> WaitForAsync<T>(int count = 1) where T : NsockEvent
        {
            var watch = Stopwatch.StartNew();
            while (true)
            {
                T[] found = _events.OfType<T>().ToArray();
                if (found.Length >= count) return found;
                if (watch.Elapsed > Bound) throw new TimeoutException($"waited for {count} {typeof(T).Name}, got {found.Length}: {string.Join(", ", _events)}");
                await Task.Delay(5);
            }
        }
    }

    /// <summary>An in-process <c>listen 127.0.0.1:0 --receive-files DIR</c>; disposing stops it (bounded).</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly CancellationTokenSource _cts = new();
        private readonly Listener _listener;
        private readonly Task _run;

        private Receiver(Listener listener)
        {
            _listener = listener;
            _run = listener.RunAsync(null, null, Sink, _cts.Token);
        }

        public Sink Sink { get; } = new();

        public int Port => _listener.Ready.Port;

        public string Address => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

        public static async Task<Receiver> StartAsync(string dir, long? maxBytes = null, bool keepOpen = false)
        {
            using var cts = new CancellationTokenSource(Bound);
            var options = new ListenerOptions
            {
                Endpoint = new Endpoint(Transport.Tcp, "127.0.0.1", 0),
                Mode = ListenerMode.ReceiveFiles,
                FileDirectory = dir,
                MaxBytes = maxBytes,
                KeepOpen = keepOpen,
                ClientIdleTimeout = Bound,
                // The receiver stands for `nsock listen --receive-files`: its reasons name the command's options.
                Names = CommandNames.Instance,
            };
            return new Receiver(await Listener.BindAsync(options, cts.Token));
        }

        public async ValueTask DisposeAsync()
        {
            _cts.Cancel();
            try
            {
                await _run.WaitAsync(Bound);
            }
            catch (OperationCanceledException)
            {
                // The normal way a listener stops.
            }
            _listener.Dispose();
            _cts.Dispose();
        }
    }
}
