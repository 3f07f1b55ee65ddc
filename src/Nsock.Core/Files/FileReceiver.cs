using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;

namespace Nsock.Core;

// The receiving side of the file protocol, for one sender. Each file is written under a hidden partial name
// beside its target (".NAME.nsock-partial", PartialName) and renamed into place only after its digest (XXH3-128 or SHA-256, as the sender says) matched, so a failed
// or interrupted file never appears under its final name; the partial stays for --resume. A big file is
// received and written on this thread and hashed on another, right behind (HashBehind). Measured again for
// issue 12 (scripts/bench/files, 1 GiB, SHA-256, medians of 5): from a sender that does not hash, 0.838 s that way
// against 1.181 s hashed in line; with both ends on this machine's 2 cores in line was 10% faster (1.055 s against
// 1.179 s: the CPUs are full), but a receiver normally has its machine to itself, so the hash stays behind.
// Every wait for the sender is bounded (PacedClientStream): the greeting and each file header within HeaderTimeout,
// a file's bytes at MinRate over a window of waiting, and no silence longer than IdleTimeout. What is said back to the
// sender never carries a path of this machine, only the name the sender gave.
internal sealed class FileReceiver
{
    private readonly PacedClientStream _net;
    private readonly ReceiveFilesOptions _o;
    private readonly IEventSink _sink;
    private readonly SharedBudget _budget;
    private readonly NamesInProgress _inProgress;
    private byte[]? _buffer; // made for the first file: a sender that sends none never costs its megabyte

    public FileReceiver(Socket client, ReceiveFilesOptions o, IEventSink sink, SharedBudget budget, NamesInProgress inProgress)
    {
        _inProgress = inProgress;
        _net = new PacedClientStream(client, o.IdleTimeout);
        _o = o;
        _sink = sink;
        _budget = budget;
        // The greeting is due from the moment the sender is taken on, however its wait is made (Run's first read,
        // or the Linux readiness wait before Run), so waiting there first never gives it a second full limit.
        _net.BeginDeadline("the greeting", _o.HeaderTimeout);
    }

    /// <summary>Bytes received from and sent to the sender so far (for the client's closed event).</summary>
    public long BytesReceived => _net.BytesRead;

    public long BytesSent => _net.BytesWritten;

    /// <summary>How long a wait for the greeting's first byte made before <see cref="Run"/> may take; see <see cref="PacedClientStream.NextWait"/>.</summary>
    public TimeSpan GreetingWait(out bool byDeadline) => _net.NextWait(out byDeadline);

    /// <summary>The error that ends the session when that wait ran out: the one Run's read would have thrown.</summary>
    public NsockException GreetingWaitRanOut(bool byDeadline) => _net.WaitRanOut(byDeadline);

    private byte[] Chunk => _buffer ??= new byte[FileHashing.ChunkSize];

    /// <summary>Receives what one sender sends, on the caller's thread (blocking calls); throws when the sender breaks the protocol, vanishes or is too slow.</summary>
    public void Run()
    {
        (byte version, byte flags) = FileTransferProtocol.ReadHello(_net);
        _net.EndPhase();
        if (version < FileTransferProtocol.OldestVersion || version > FileTransferProtocol.Version)
        {
            FileTransferProtocol.WriteHello(_net, FileTransferProtocol.VersionNotSupported);
            return;
        }
        // A version 1 sender (an older nsock) is still served: its digest is SHA-256 and its headers lack the digest byte.
        FileTransferProtocol.WriteHello(_net, 0, version);
        bool resume = (flags & FileTransferProtocol.FlagResume) != 0;
        while (true)
        {
            _net.BeginDeadline("the next file header", _o.HeaderTimeout);
            int type = _net.ReadByte();
            if (type < 0 || type == FileTransferProtocol.End) return;
            if (type != FileTransferProtocol.File) throw FileTransferProtocol.Protocol($"unexpected message '{(char)type}'");
            (string path, long size, uint mode, long mtime, FileHashAlgorithm? algorithm, string? problem) = FileTransferProtocol.ReadFileHeader(_net, version);
            _net.EndPhase();
            FileResult r = problem is not null ? Refuse(path, size, problem)
                : algorithm is FileHashAlgorithm known ? ReceiveOne(path, size, mode, mtime, resume, known) with { Algorithm = known }
                : Refuse(path, size, "the sender asked for a digest this receiver does not know (update nsock here)");
            _sink.Emit(r);
        }
    }

    private FileResult Refuse(string path, long size, string reason)
    {
        FileTransferProtocol.WriteCode(_net, FileTransferProtocol.Refuse, reason);
        return new FileResult(path, size, null, false, FileStatus.Refused, reason, 0, 0, 0);
    }

    private FileResult ReceiveOne(string path, long size, uint mode, long mtime, bool resume, FileHashAlgorithm algorithm)
    {
        long start = Stopwatch.GetTimestamp();
        FileResult Answer(byte code, FileStatus status, string reason)
        {
            reason = ForPeer(reason);
            FileTransferProtocol.WriteCode(_net, code, reason);
            return new FileResult(path, size, null, false, status, reason, 0, Seconds(start), 0);
        }

        string final;
        try
        {
            final = SafePath.Resolve(_o.Directory, path);
        }
        catch (NsockException e)
        {
            return Answer(FileTransferProtocol.Refuse, FileStatus.Refused, e.Message);
        }
        if (Directory.Exists(final)) return Answer(FileTransferProtocol.Refuse, FileStatus.Refused, "a folder of that name is in the way");
        if (File.Exists(final) && !_o.Overwrite) return Answer(FileTransferProtocol.Skip, FileStatus.Skipped, $"the file exists (the receiver has no {_o.Names.Option(NsockOption.Overwrite)})");
        if (!_inProgress.TryClaim(final)) return Answer(FileTransferProtocol.Refuse, FileStatus.Refused, $"'{path}' is being received by another sender right now; try again when it ends");
        try
        {
            return ReceiveClaimed(path, final, size, mode, mtime, resume, algorithm, start);
        }
        finally
        {
            _inProgress.Release(final);
        }
    }

    // The rest of ReceiveOne, while this session alone holds the name (and so its partial).
    private FileResult ReceiveClaimed(string path, string final, long size, uint mode, long mtime, bool resume, FileHashAlgorithm algorithm, long start)
    {
        FileResult Answer(byte code, FileStatus status, string reason)
        {
            reason = ForPeer(reason);
            FileTransferProtocol.WriteCode(_net, code, reason);
            return new FileResult(path, size, null, false, status, reason, 0, Seconds(start), 0);
        }

        string partial = PartialName.For(final);
        // --max-bytes counts the bytes that arrive in this run and stay on disk, as a file or as a partial: a resume
        // is charged only for the tail that travels (its prefix was charged when it arrived; one left by an earlier
        // run is not counted). A partial dropped by a later non-resuming send stays charged: the count errs
        // towards refusing.
        long prefix = resume ? ResumablePrefix(partial, size) : 0;
        long charged = size - prefix;
        string overLimit = $"it would pass the receiver's limit of {_budget.Limit} bytes ({_o.Names.Option(NsockOption.FilesByteLimit)})";
        if (!_budget.TryTake(charged)) return Answer(FileTransferProtocol.Refuse, FileStatus.Refused, overLimit);

        FileStream file;
        long offset = 0;
        using FileDigest hash = FileDigest.Create(algorithm);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            // A link planted under the partial's name must never be followed out of the folder, nor a FIFO or a
            // device opened: remove it (or any partial, when not resuming), and create the new partial exclusively.
            var partialInfo = new FileInfo(partial);
            bool notPlain = partialInfo.Attributes != (FileAttributes)(-1) && (partialInfo.Attributes.HasFlag(FileAttributes.ReparsePoint) || RegularFile.OtherKind(partial) is not null);
            if (notPlain || !resume) File.Delete(partial);
            if (resume && !notPlain && File.Exists(partial) && new FileInfo(partial).Length <= size)
            {
                (file, offset) = CopyOnResume(partial, hash, prefix);
            }
            else
            {
                if (File.Exists(partial)) File.Delete(partial); // a stale partial longer than the file
                file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NsockException)
        {
            _budget.Give(charged);
            return Answer(FileTransferProtocol.Refuse, FileStatus.Refused, $"cannot write it here: {e.Message}");
        }
        if (offset < prefix) // the partial shrank since it was measured: the longer tail is charged too
        {
            if (!_budget.TryTake(prefix - offset))
            {
                file.Dispose();
                _budget.Give(charged);
                return Answer(FileTransferProtocol.Refuse, FileStatus.Refused, overLimit);
            }
            charged = size - offset;
        }
        FileTransferProtocol.WriteCode(_net, FileTransferProtocol.Accept, number: offset);
        _net.BeginRate($"'{path}'", _o.MinRate, _o.RateWindow);
        string? diskError;
        using (file)
        {
            try
            {
                diskError = size - offset > BigFile ? ReceiveHashingBehind(file, hash, size - offset) : ReceiveBytes(file, hash, size - offset);
            }
            catch (Exception e) when (e is NsockException or IOException or SocketException)
            {
                // The sender stopped mid-file (or was too slow): what arrived stays as the partial, for --resume.
                file.Flush(_o.SyncFiles);
                _budget.Give(charged - (file.Length - offset)); // what arrived stays charged while the partial keeps it
                string why = e is NsockException { Kind: NsockErrorKind.TimedOut } ? $": {e.Message}" : "";
                _sink.Emit(new FileResult(path, size, null, false, FileStatus.Failed, $"the sender stopped after {file.Length} of {size} bytes{why} (partial kept for {_o.Names.Option(NsockOption.Resume)})", offset, Seconds(start), 0) { Algorithm = algorithm });
                throw;
            }
            if (diskError is null)
            {
                // fsync only when asked (--fsync): like scp and rsync, durability against a power cut costs a
                // disk flush per file, and the rename below already keeps half-written files from their name.
                try { file.Flush(_o.SyncFiles); }
                catch (IOException e) { diskError = $"writing failed on the receiver: {e.Message}"; }
            }
        }

        byte[] theirs = FileTransferProtocol.ReadExactly(_net, FileHashing.Length(algorithm), "file digest");
        _net.EndPhase();
        byte[] ours = hash.Finish();
        string hex = FileHashing.Hex(ours);
        double seconds = Seconds(start);
        double rate = seconds > 0 ? (size - offset) / seconds : 0;
        string? failure = diskError ?? (ours.AsSpan().SequenceEqual(theirs) ? null : $"{algorithm.ToText()} mismatch: the bytes that arrived are not the sender's file");
        if (failure is null)
        {
            try
            {
                Place(partial, final, mode, mtime);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
            {
                failure = $"cannot put it in place: {e.Message}";
            }
        }
        if (failure is not null)
        {
            failure = ForPeer(failure);
            TryDelete(partial); // a corrupt partial must not be resumed
            _budget.Give(charged);
            FileTransferProtocol.WriteCode(_net, FileTransferProtocol.Failed, failure);
            return new FileResult(path, size, hex, false, FileStatus.Failed, failure, offset, seconds, rate);
        }
        FileTransferProtocol.WriteCode(_net, FileTransferProtocol.Verified);
        return new FileResult(path, size, hex, true, FileStatus.Received, null, offset, seconds, rate);
    }

    private const long BigFile = 8L * 1024 * 1024;

    // How much of an existing partial a resume would keep: its length when it is a file (not a link) no longer than
    // the file, else nothing.
    private static long ResumablePrefix(string partial, long size)
    {
        var info = new FileInfo(partial);
        return info.Exists && !info.Attributes.HasFlag(FileAttributes.ReparsePoint) && RegularFile.OtherKind(partial) is null && info.Length <= size ? info.Length : 0;
    }

    // Copy-on-resume: the existing partial is only read; its bytes are copied (and hashed, which resuming reads
    // them for anyway) into a fresh partial created exclusively under the same name after the old name is
    // removed. So nothing is ever written into a file that also lives elsewhere: a hard link planted under the
    // partial's name keeps its bytes, and so does its other name outside DIR. Chosen over checking the link count
    // (fstat's st_nlink) because it needs no native call (struct stat differs by architecture, and the fstat
    // symbol by glibc version) and holds on every OS; its cost is writing the prefix once more, beside the read.
    private (FileStream File, long Offset) CopyOnResume(string partial, FileDigest hash, long limit)
    {
        using FileStream old = RegularFile.OpenRead(partial, Path.GetFileName(partial), FileOptions.SequentialScan); // never blocks on a FIFO swapped in
        File.Delete(partial); // the name only: the open handle still reads the bytes
        var fresh = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
        try
        {
            long offset = 0;
            int n;
            while (offset < limit && (n = old.Read(Chunk, 0, (int)Math.Min(Chunk.Length, limit - offset))) > 0) // never past what was measured (and charged), even if the old one grew
            {
                hash.Append(Chunk, 0, n);
                fresh.Write(Chunk, 0, n);
                offset += n;
            }
            return (fresh, offset);
        }
        catch
        {
            fresh.Dispose(); // what was copied is a true prefix: it stays as the partial
            throw;
        }
    }

    // 1 MiB buffers, filled, written and handed to the hasher; at most eight wait for it.
    private string? ReceiveHashingBehind(FileStream file, FileDigest hash, long count)
    {
        var hasher = new HashBehind(hash, 8, FileHashing.ChunkSize);
        string? diskError = null;
        try
        {
            while (count > 0)
            {
                byte[] buffer = hasher.Rent();
                int filled = 0;
                try
                {
                    while (filled < buffer.Length && count > 0)
                    {
                        int n = Receive(buffer, filled, (int)Math.Min(buffer.Length - filled, count));
                        filled += n;
                        count -= n;
                    }
                }
                finally
                {
                    // What arrived before a failure is written too: it stays as the partial, for --resume.
                    if (diskError is null && filled > 0) diskError = Write(file, buffer, filled);
                    hasher.Add(buffer, filled);
                }
            }
        }
        finally
        {
            hasher.Finish();
        }
        return diskError;
    }

    // Small files: each recv returns what has arrived (up to 1 MiB); it is hashed and written before the next.
    private string? ReceiveBytes(FileStream file, FileDigest hash, long count)
    {
        string? diskError = null;
        while (count > 0)
        {
            int n = Receive(Chunk, (int)Math.Min(Chunk.Length, count));
            count -= n;
            hash.Append(Chunk, 0, n);
            if (diskError is null) diskError = Write(file, Chunk, n);
        }
        return diskError;
    }

    private int Receive(byte[] buffer, int count) => Receive(buffer, 0, count);

    private int Receive(byte[] buffer, int offset, int count)
    {
        int n = _net.Read(buffer, offset, count);
        if (n == 0) throw new NsockException(NsockErrorKind.Io, "the sender closed the connection in the middle of a file");
        return n;
    }

    // At most 256 KiB per write(2). A bigger write lets the page cache take the new file's memory in large
    // folios (1 MiB and up), and on a VM that hands free memory back to its host (free page reporting, in
    // blocks of 1 MiB here) exactly those blocks are the ones the host has taken: every page of them then
    // faults on the host first. 1 GiB written in 1 MiB pieces took 0.4 s or 2-5 s at random here, in pieces
    // of 256 KiB always 0.4 s (dd, alternated). On other machines the cost is a few thousand more calls per GiB.
    private const int WritePiece = 256 * 1024;

    // A disk error (full, quota, I/O) fails this file but not the session: the rest of its bytes are still read.
    private static string? Write(FileStream file, byte[] buffer, int count)
    {
        try
        {
            for (int at = 0; at < count; at += WritePiece) file.Write(buffer, at, Math.Min(WritePiece, count - at));
            return null;
        }
        catch (Exception e) when (e is IOException or ArgumentOutOfRangeException or UnauthorizedAccessException)
        {
            return $"writing failed on the receiver: {e.Message}";
        }
    }

    private static void Place(string partial, string final, uint mode, long mtime)
    {
        if (mtime != long.MinValue && mtime >= -62135596800000L && mtime <= 253402300799999L)
            File.SetLastWriteTimeUtc(partial, new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMilliseconds(mtime));
#if NET
        // Permission bits only, masked by the receiver's umask: never setuid, setgid or sticky, nor world-writable
        // because the sender said so.
        if (mode != uint.MaxValue && !OperatingSystem.IsWindows()) File.SetUnixFileMode(partial, (UnixFileMode)ReceivedMode.Allowed(mode, partial));
        File.Move(partial, final, overwrite: true);
#else
        if (File.Exists(final)) File.Delete(final);
        File.Move(partial, final);
#endif
    }

    // The receiver's own paths (its folder, the partial's full name) never go to the sender: .NET's I/O messages name
    // the full path, so the folder is cut from them, leaving the name inside it.
    private string ForPeer(string message)
    {
        string root = Path.GetFullPath(_o.Directory).TrimEnd(Path.DirectorySeparatorChar);
        if (root.Length == 0) return message;
        return message.Replace(root + Path.DirectorySeparatorChar, "").Replace(root, ".");
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static double Seconds(long since) => (Stopwatch.GetTimestamp() - since) / (double)Stopwatch.Frequency;
}
