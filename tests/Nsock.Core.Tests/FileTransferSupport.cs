using System;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.IO.Hashing;
using System.Linq;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>A temp folder of one test, removed (links not followed) when the test ends.</summary>
internal sealed class FileTransferFolder : IDisposable
{
    public FileTransferFolder(string tag)
    {
        Root = Path.Combine(Path.GetTempPath(), "nsock-" + tag + "-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>Creates (if needed) and returns a folder inside <see cref="Root"/>.</summary>
    public string Folder(params string[] parts)
    {
        string path = Path.Combine(new[] { Root }.Concat(parts).ToArray());
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Writes a file (making its folders) and returns its full path.</summary>
    public string File(string relative, byte[] content)
    {
        string path = Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}

/// <summary>One 100 MiB random file per test class, with its SHA-256 (written once: it takes a moment).</summary>
public sealed class FileTransferBigFile : IDisposable
{
    public const long Size = 100L * 1024 * 1024;
    private readonly FileTransferFolder _folder = new("bigfile");

    public FileTransferBigFile()
    {
        Path = System.IO.Path.Combine(_folder.Root, "big.bin");
        Sha256 = FileTransferSupport.WriteRandomFile(Path, Size, seed: 100);
        Xxh128 = FileTransferSupport.DigestOfFile(Path, FileHashAlgorithm.XXH128);
    }

    /// <summary>Lowercase hex of its XXH3-128.</summary>
    public string Xxh128 { get; }

    public string Digest(FileHashAlgorithm algorithm) => algorithm == FileHashAlgorithm.SHA256 ? Sha256 : Xxh128;

    public string Path { get; }

    /// <summary>Lowercase hex, as <see cref="FileResult.Sha256"/> has it.</summary>
    public string Sha256 { get; }

    public void Dispose() => _folder.Dispose();
}

/// <summary>Keeps every event and waits (bounded) for them; this file's own, so it does not depend on other suites' helpers.</summary>
internal sealed class FileTransferSink : IEventSink
{
    private readonly ConcurrentQueue<NsockEvent> _events = new();

    public void Emit(NsockEvent e) => _events.Enqueue(e);

    public IReadOnlyList<T> Of<T>() where T : NsockEvent => _events.OfType<T>().ToList();

    /// <summary>Waits until at least <paramref name="count"/> events of type <typeparamref name="T"/> arrived.</summary>
    public async Task<IReadOnlyList<T>> WaitForAsync<T>(int count = 1) where T : NsockEvent
    {
        DateTime deadline = DateTime.UtcNow + Limits.Wait;
        while (true)
        {
            IReadOnlyList<T> found = Of<T>();
            if (found.Count >= count) return found;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"waited for {count} {typeof(T).Name} events, got {found.Count}; all events: {string.Join(", ", _events)}");
            await Task.Delay(5);
        }
    }
}

/// <summary>A file listener (receive or serve) on 127.0.0.1, port 0, running in the background; disposing stops it (bounded).</summary>
internal sealed class FileTransferListener : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly Listener _listener;

    private FileTransferListener(Listener listener)
    {
        _listener = listener;
        Run = listener.RunAsync(null, null, Sink, _cts.Token);
    }

    public FileTransferSink Sink { get; } = new();

    public Task<ListenerResult> Run { get; }

    public Endpoint Endpoint => Loopback.Tcp(_listener.Ready.Port);

    public static async Task<FileTransferListener> StartAsync(ListenerOptions options)
    {
        using var cts = new CancellationTokenSource(Limits.Wait);
        return new FileTransferListener(await Listener.BindAsync(options, cts.Token));
    }

    /// <summary>Waits (bounded) for the listener to stop by itself (a file listener without keep-open serves one client).</summary>
    public Task<ListenerResult> FinishedAsync() => Run.WaitAsync(Limits.Wait);

    public async ValueTask DisposeAsync()
    {
        _cts.Cancel();
        try
        {
            await Run.WaitAsync(Limits.Wait);
        }
        catch (OperationCanceledException)
        {
            // The normal way a listener stops.
        }
        finally
        {
            _listener.Dispose();
            _cts.Dispose();
        }
    }
}

/// <summary>A fact that needs symbolic links; skipped, saying why, where this process cannot make them.</summary>
public sealed class FileTransferLinkFactAttribute : FactAttribute
{
    public FileTransferLinkFactAttribute()
    {
        if (FileTransferSupport.LinkProblem.Value is string why) Skip = why;
    }
}

/// <summary>A fact about Unix permission bits; skipped on Windows, which has none.</summary>
public sealed class FileTransferUnixFactAttribute : FactAttribute
{
    public FileTransferUnixFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "Windows files have no Unix permission bits";
    }
}

/// <summary>What the receiver answered to a file header or to a file's bytes.</summary>
internal sealed record FileAnswer(char Code, long Offset, string? Reason);

/// <summary>
/// A sender that speaks the nsock file protocol by hand (big-endian framing written here, not borrowed from the
/// engine), so a test can say what no well-behaved sender would: unsafe names, lies about sizes, wrong hashes.
/// Every read is bounded by <see cref="Limits.Wait"/>.
/// </summary>
internal sealed class FileProtocolClient : IDisposable
{
    private readonly Socket _socket;

    private FileProtocolClient(Socket socket, byte version = 2, FileHashAlgorithm digest = FileHashAlgorithm.XXH128)
    {
        _socket = socket;
        Version = version;
        Digest = digest;
    }

    /// <summary>The protocol version this client spoke in its greeting: 2, or 1 (an older nsock: SHA-256, no digest byte).</summary>
    public byte Version { get; }

    /// <summary>The digest its file headers name (version 2) and its files end with.</summary>
    public FileHashAlgorithm Digest { get; }

    /// <summary>The digest byte of a version 2 header: 1 XXH3-128, 2 SHA-256.</summary>
    public static byte DigestCode(FileHashAlgorithm a) => a == FileHashAlgorithm.SHA256 ? (byte)2 : (byte)1;

    public Socket Socket => _socket;

    /// <summary>Connects and exchanges greetings (flags bit 0: resume).</summary>
    public static async Task<FileProtocolClient> ConnectAsync(Endpoint endpoint, byte flags = 0, byte version = 2, FileHashAlgorithm digest = FileHashAlgorithm.XXH128)
    {
        Socket socket = await Loopback.ConnectAsync(endpoint);
        var client = new FileProtocolClient(socket, version, version < 2 ? FileHashAlgorithm.SHA256 : digest);
        await socket.SendAllAsync(new byte[] { (byte)'N', (byte)'S', (byte)'F', (byte)'T', version, flags });
        byte[] hello = await socket.ReadExactlyAsync(6);
        Assert.Equal("NSFT", Encoding.ASCII.GetString(hello, 0, 4));
        Assert.Equal(version, hello[4]);
        Assert.Equal(0, hello[5]);
        return client;
    }

    /// <summary>Connects without greeting: the test says every byte.</summary>
    public static async Task<FileProtocolClient> ConnectRawAsync(Endpoint endpoint) => new(await Loopback.ConnectAsync(endpoint));

    /// <summary>A file header; <paramref name="digest"/> is the version 2 digest byte (1 XXH3-128), null for a version 1 header.</summary>
    public static byte[] Header(string path, long size, uint mode = 0x1A4, long mtime = long.MinValue, byte? digest = 1) =>
        Header(Encoding.UTF8.GetBytes(path), size, mode, mtime, digest);

    public static byte[] Header(byte[] path, long size, uint mode = 0x1A4, long mtime = long.MinValue, byte? digest = 1)
    {
        var b = new byte[1 + 2 + path.Length + 8 + 4 + 8 + (digest is null ? 0 : 1)];
        b[0] = (byte)'F';
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(1), (ushort)path.Length);
        path.CopyTo(b, 3);
        int at = 3 + path.Length;
        BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(at), size);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at + 8), mode);
        BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(at + 12), mtime);
        if (digest is byte d) b[at + 20] = d;
        return b;
    }

    public Task SendAsync(ReadOnlyMemory<byte> data) => _socket.SendAllAsync(data);

    public Task SendHeaderAsync(string path, long size, uint mode = 0x1A4, long mtime = long.MinValue) =>
        SendAsync(Header(path, size, mode, mtime, Version < 2 ? null : DigestCode(Digest)));

    /// <summary>Reads 'A' offset, or 'S'/'N' reason.</summary>
    public async Task<FileAnswer> ReadAnswerAsync()
    {
        char code = (char)(await _socket.ReadExactlyAsync(1))[0];
        return code switch
        {
            'A' => new FileAnswer(code, BinaryPrimitives.ReadInt64BigEndian(await _socket.ReadExactlyAsync(8)), null),
            'S' or 'N' => new FileAnswer(code, 0, await ReadReasonAsync()),
            _ => throw new InvalidDataException($"unexpected answer '{code}'"),
        };
    }

    /// <summary>Reads 'V', or 'X' reason.</summary>
    public async Task<FileAnswer> ReadVerdictAsync()
    {
        char code = (char)(await _socket.ReadExactlyAsync(1))[0];
        return code switch
        {
            'V' => new FileAnswer(code, 0, null),
            'X' => new FileAnswer(code, 0, await ReadReasonAsync()),
            _ => throw new InvalidDataException($"unexpected verdict '{code}'"),
        };
    }

    /// <summary>A whole file, honestly unless <paramref name="hash"/> says otherwise: header, answer, bytes from the offset, hash, verdict.</summary>
    public async Task<(FileAnswer Answer, FileAnswer? Verdict)> SendFileAsync(string path, byte[] content, byte[]? hash = null, uint mode = 0x1A4, long mtime = long.MinValue)
    {
        await SendHeaderAsync(path, content.Length, mode, mtime);
        FileAnswer answer = await ReadAnswerAsync();
        if (answer.Code != 'A') return (answer, null);
        await SendAsync(content.AsMemory((int)answer.Offset));
        await SendAsync(hash ?? FileTransferSupport.DigestBytes(content, Digest));
        return (answer, await ReadVerdictAsync());
    }

    /// <summary>Says 'E', half-closes, and waits (bounded) for the receiver to close.</summary>
    public async Task EndAsync()
    {
        await SendAsync(new[] { (byte)'E' });
        _socket.Shutdown(SocketShutdown.Send);
        Assert.Empty(await _socket.ReadToEndAsync());
    }

    /// <summary>True when the receiver closed (or reset) the session; false if it sent something or stayed open for <see cref="Limits.Wait"/>.</summary>
    public async Task<bool> SessionEndedAsync()
    {
        using var cts = new CancellationTokenSource(Limits.Wait);
        var one = new byte[1];
        try
        {
            return await _socket.ReceiveAsync(one, SocketFlags.None, cts.Token) == 0;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();

    private async Task<string> ReadReasonAsync()
    {
        int length = BinaryPrimitives.ReadUInt16BigEndian(await _socket.ReadExactlyAsync(2));
        return Encoding.UTF8.GetString(await _socket.ReadExactlyAsync(length));
    }
}

/// <summary>Files, hashes, listeners and snapshots for the file transfer tests.</summary>
internal static class FileTransferSupport
{
    /// <summary>Writes <paramref name="size"/> pseudo-random bytes (xorshift, fast) and returns their SHA-256, lowercase hex.</summary>
    public static string WriteRandomFile(string path, long size, ulong seed)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        var buffer = new byte[1024 * 1024];
        ulong state = (seed + 1) * 0x9E3779B97F4A7C15UL;
        long left = size;
        while (left > 0)
        {
            int n = (int)Math.Min(buffer.Length, left);
            for (int i = 0; i < n; i += 8)
            {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                ulong v = state;
                for (int j = i; j < Math.Min(n, i + 8); j++, v >>= 8) buffer[j] = (byte)v;
            }
            hash.AppendData(buffer, 0, n);
            file.Write(buffer, 0, n);
            left -= n;
        }
        return Hex(hash.GetHashAndReset());
    }

    /// <summary>The digest of <paramref name="data"/>: SHA-256 from .NET's crypto, XXH3-128 from System.IO.Hashing (checked against xxhsum elsewhere).</summary>
    public static byte[] DigestBytes(byte[] data, FileHashAlgorithm algorithm) =>
        algorithm == FileHashAlgorithm.SHA256 ? SHA256.HashData(data) : XxHash128.Hash(data);

    public static string Digest(byte[] data, FileHashAlgorithm algorithm) => Hex(DigestBytes(data, algorithm));

    public static string DigestOfFile(string path, FileHashAlgorithm algorithm)
    {
        if (algorithm == FileHashAlgorithm.SHA256) return Sha256OfFile(path);
        var hash = new XxHash128();
        using var file = File.OpenRead(path);
        hash.Append(file);
        return Hex(hash.GetHashAndReset());
    }

    public static string Sha256OfFile(string path)
    {
        using var file = File.OpenRead(path);
        return Hex(SHA256.HashData(file));
    }

    public static string Sha256(byte[] data) => Hex(SHA256.HashData(data));

    public static string Hex(byte[] hash) => Convert.ToHexString(hash).ToLowerInvariant();

    /// <summary>Byte-for-byte comparison of two files, a MiB at a time.</summary>
    public static bool SameBytes(string a, string b)
    {
        using var fa = File.OpenRead(a);
        using var fb = File.OpenRead(b);
        if (fa.Length != fb.Length) return false;
        var ba = new byte[1024 * 1024];
        var bb = new byte[1024 * 1024];
        while (true)
        {
            int na = ReadFull(fa, ba);
            int nb = ReadFull(fb, bb);
            if (na != nb || !ba.AsSpan(0, na).SequenceEqual(bb.AsSpan(0, nb))) return false;
            if (na == 0) return true;
        }
    }

    public static byte[] Bytes(int size, int seed) => Payload.Bytes(size, seed);

    /// <summary>A receiving listener on 127.0.0.1, port 0.</summary>
    public static Task<FileTransferListener> ReceiverAsync(string dir, bool overwrite = false, long? maxBytes = null, bool keepOpen = false) =>
        FileTransferListener.StartAsync(new ListenerOptions
        {
            Endpoint = Loopback.Tcp(0),
            Mode = ListenerMode.ReceiveFiles,
            FileDirectory = dir,
            Overwrite = overwrite,
            MaxBytes = maxBytes,
            KeepOpen = keepOpen,
            ClientIdleTimeout = Limits.Wait,
        });

    /// <summary>A serving listener on 127.0.0.1, port 0.</summary>
    public static Task<FileTransferListener> ServerAsync(string dir, bool keepOpen = true) =>
        FileTransferListener.StartAsync(new ListenerOptions
        {
            Endpoint = Loopback.Tcp(0),
            Mode = ListenerMode.ServeFiles,
            FileDirectory = dir,
            KeepOpen = keepOpen,
            ClientIdleTimeout = Limits.Wait,
        });

    /// <summary>Sends with <see cref="FileSender"/>, bounded by <see cref="Limits.Wait"/>.</summary>
    public static async Task<IReadOnlyList<FileResult>> SendAsync(Endpoint endpoint, IReadOnlyList<FileToSend> files, bool resume = false, IEventSink? sink = null, FileHashAlgorithm hash = FileHashAlgorithm.XXH128)
    {
        using var cts = new CancellationTokenSource(Limits.Wait);
        var options = new FileSendOptions { Resume = resume, Hash = hash, Timeout = Limits.Wait, Connect = new ConnectOptions { Timeout = Limits.Wait } };
        return await FileSender.SendAsync(endpoint, files, options, sink ?? new FileTransferSink(), cts.Token).WaitAsync(Limits.Wait);
    }

    public static FileToSend Describe(string full, string relative) => new(full, relative, new FileInfo(full).Length);

    /// <summary>The receiver's results (they arrive through the listener's sink, after the verdict went out).</summary>
    public static Task<IReadOnlyList<FileResult>> ReceiverResultsAsync(FileTransferListener listener, int count) =>
        listener.Sink.WaitForAsync<FileResult>(count);

    /// <summary>The partial name the receiver uses for <paramref name="final"/>.</summary>
    public static string PartialOf(string final) => Path.Combine(Path.GetDirectoryName(final)!, "." + Path.GetFileName(final) + ".nsock-partial");

    /// <summary>
    /// Every entry under <paramref name="root"/> (hidden ones too, links listed but never followed) except the
    /// subtree <paramref name="except"/>, described by kind, length and link target: a change shows as a difference.
    /// </summary>
    public static SortedDictionary<string, string> Snapshot(string root, string? except = null)
    {
        var all = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Walk(string folder)
        {
            foreach (string entry in Directory.EnumerateFileSystemEntries(folder, "*", new EnumerationOptions { AttributesToSkip = 0, RecurseSubdirectories = false }))
            {
                if (except is not null && Path.GetFullPath(entry) == Path.GetFullPath(except)) continue;
                var info = new FileInfo(entry);
                string rel = Path.GetRelativePath(root, entry);
                if (info.LinkTarget is string target)
                {
                    all[rel] = "link->" + target;
                }
                else if (info.Attributes.HasFlag(FileAttributes.Directory))
                {
                    all[rel] = "dir";
                    Walk(entry);
                }
                else
                {
                    all[rel] = "file:" + info.Length + ":" + Sha256OfFile(entry);
                }
            }
        }
        Walk(root);
        return all;
    }

    /// <summary>Every entry under <paramref name="dir"/>, relative, '/'-separated, hidden ones included.</summary>
    public static string[] Entries(string dir) =>
        Snapshot(dir).Keys.Select(k => k.Replace(Path.DirectorySeparatorChar, '/')).ToArray();

    /// <summary>Creates a symbolic link (tests that call this are <see cref="FileTransferLinkFactAttribute"/>s).</summary>
    public static void Link(string link, string target, bool directory)
    {
        if (directory) Directory.CreateSymbolicLink(link, target);
        else File.CreateSymbolicLink(link, target);
    }

    /// <summary>Null when this process can create symbolic links, else why not (Windows without the privilege).</summary>
    public static readonly Lazy<string?> LinkProblem = new(() =>
    {
        string probe = Path.Combine(Path.GetTempPath(), "nsock-linkprobe-" + Guid.NewGuid().ToString("N"));
        try
        {
            File.CreateSymbolicLink(probe, Path.GetTempPath());
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            return "cannot create symbolic links here: " + e.Message;
        }
        finally
        {
            try { File.Delete(probe); } catch (IOException) { }
        }
    });

    private static int ReadFull(Stream s, byte[] buffer)
    {
        int got = 0, n;
        while (got < buffer.Length && (n = s.Read(buffer, got, buffer.Length - got)) > 0) got += n;
        return got;
    }
}
