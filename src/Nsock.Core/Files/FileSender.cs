using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

/// <summary>
/// Sends files to <c>nsock listen --receive-files</c> over the nsock file protocol (see
/// <see cref="FileTransferProtocol"/>): per file the receiver says accept, skip or refuse, the bytes go zero-copy,
/// the digest of the whole file (XXH3-128 or SHA-256, computed while the bytes are on their way) follows, and the receiver's answer
/// says whether the file arrived intact. Results report what really arrived.
/// </summary>
internal static class FileSender
{
    /// <summary>Why a UDP endpoint is refused: the protocol needs a stream.</summary>
    internal const string StreamOnly = "files go over a stream (tcp or unix), not UDP";

    /// <summary>Sends <paramref name="files"/> in order; a file that fails does not stop the ones after it.</summary>
    public static async Task<IReadOnlyList<FileResult>> SendAsync(Endpoint endpoint, IReadOnlyList<FileToSend> files, FileSendOptions options, IEventSink sink, CancellationToken ct)
    {
        if (endpoint.Transport == Transport.Udp) throw NsockException.BadInput(StreamOnly);
        Socket socket = await Connector.ConnectAsync(endpoint, options.Connect, ct).ConfigureAwait(false);
        // Over TLS the bytes must pass through the TLS stream: no sendfile, the buffered path (read, encrypt, send).
        TlsStream? tls = options.Tls is null ? null : await options.Tls.StartAsync(socket, endpoint, sink, ct).ConfigureAwait(false);
        try
        {
            // Blocking socket calls on a thread of their own: cancelling closes the socket under them.
            return await BlockingThread.RunAsync("nsock send-file", socket, () => Run(socket, tls, files, options, sink), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (OperationCanceledException or NsockException))
        {
            throw SocketErrors.FromIo(e, "sending files");
        }
        finally
        {
            tls?.Dispose();
        }
    }

    /// <summary>
    /// Just the bytes of one file (zero-copy), then a half-close, for a plain byte sink such as <c>nc -l &gt; file</c>
    /// on the far side: no protocol, nothing verified.
    /// </summary>
    public static async Task<FileResult> SendRawAsync(Endpoint endpoint, FileToSend file, SendOptions options, IEventSink sink, CancellationToken ct)
    {
        FileStream data;
        try
        {
            data = new FileStream(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NsockException(NsockErrorKind.Io, $"cannot read '{file.FullPath}': {e.Message}", e);
        }
        using (data)
        {
            SendResult sent = await Sender.SendAsync(endpoint, data, null, options, sink, ct).ConfigureAwait(false);
            return FileResult.ForRaw(file.RelativePath, sent);
        }
    }

    private static IReadOnlyList<FileResult> Run(Socket socket, TlsStream? tls, IReadOnlyList<FileToSend> files, FileSendOptions o, IEventSink sink)
    {
        if (o.Timeout > TimeSpan.Zero) socket.ReceiveTimeout = (int)Math.Min(int.MaxValue, o.Timeout.TotalMilliseconds);
        if (tls is not null && o.Timeout > TimeSpan.Zero) socket.SendTimeout = (int)Math.Min(int.MaxValue, o.Timeout.TotalMilliseconds);
        Stream net = tls ?? (Stream)new NetworkStream(socket, ownsSocket: false);
        FileTransferProtocol.WriteHello(net, o.Resume ? FileTransferProtocol.FlagResume : (byte)0);
        (byte version, byte status) = FileTransferProtocol.ReadHello(net);
        if (status == FileTransferProtocol.VersionNotSupported && version < FileTransferProtocol.Version)
            throw FileTransferProtocol.Protocol($"the receiver speaks only version {version} of the nsock file protocol (an older nsock, SHA-256 only); this sender speaks version {FileTransferProtocol.Version}: update nsock on the receiving side");
        if (status != 0 || version != FileTransferProtocol.Version)
            throw FileTransferProtocol.Protocol($"the receiver does not speak version {FileTransferProtocol.Version} (it answered version {version}, status {status})");

        var results = new List<FileResult>();
        var progress = new Progress(sink, files);
        byte[] buffer = new byte[FileHashing.ChunkSize];
        foreach (FileToSend f in files)
        {
            FileResult r = SendOne(socket, tls is not null, net, f, progress, buffer, o) with { Algorithm = o.Hash };
            results.Add(r);
            sink.Emit(r);
        }
        net.WriteByte(FileTransferProtocol.End);
        tls?.CloseWrite();
        socket.Shutdown(SocketShutdown.Send);
        // Wait for the receiver to close: closing first could reset the connection before it read the end.
        try { while (net.Read(buffer, 0, buffer.Length) > 0) { } } catch (IOException) { }
        return results;
    }

    private static FileResult SendOne(Socket socket, bool tls, Stream net, FileToSend f, Progress progress, byte[] buffer, FileSendOptions o)
    {
        TimeSpan stall = o.Timeout;
        long start = Stopwatch.GetTimestamp();
        FileStream file;
        try
        {
            file = new FileStream(f.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            progress.Skip(f.Size);
            return new FileResult(f.RelativePath, f.Size, null, false, FileStatus.Failed, $"cannot read it here: {e.Message}", 0, 0, 0);
        }
        using (file)
        {
            long size = file.Length;
            (uint mode, long mtime) = Metadata(f.FullPath);
            FileTransferProtocol.WriteFileHeader(net, f.RelativePath, size, mode, mtime, o.Hash);
            byte answer = FileTransferProtocol.ReadCode(net, "receiver's answer");
            if (answer is FileTransferProtocol.Skip or FileTransferProtocol.Refuse)
            {
                string reason = FileTransferProtocol.ReadReason(net);
                progress.Skip(size);
                return new FileResult(f.RelativePath, size, null, false, answer == FileTransferProtocol.Skip ? FileStatus.Skipped : FileStatus.Refused, reason, 0, Seconds(start), 0);
            }
            if (answer != FileTransferProtocol.Accept) throw FileTransferProtocol.Protocol($"unexpected answer '{(char)answer}' to a file header");
            long offset = FileTransferProtocol.ReadNumber(net, "resume offset");
            if (offset < 0 || offset > size) throw FileTransferProtocol.Protocol($"the receiver asked to resume at {offset} of {size} bytes");

            progress.Start(f.RelativePath, size, offset);
            byte[] hash = tls
                ? SendHashingBuffered(net, file, size, offset, progress, buffer, o.Hash)
                : SendHashing(socket, file, f.FullPath, size, offset, progress, buffer, o.Hash, stall);
            net.Write(hash, 0, hash.Length);

            byte verdict = FileTransferProtocol.ReadCode(net, "receiver's verdict");
            double seconds = Seconds(start);
            double rate = seconds > 0 ? (size - offset) / seconds : 0;
            string hex = FileHashing.Hex(hash);
            if (verdict == FileTransferProtocol.Verified) return new FileResult(f.RelativePath, size, hex, true, FileStatus.Sent, null, offset, seconds, rate);
            if (verdict == FileTransferProtocol.Failed) return new FileResult(f.RelativePath, size, hex, false, FileStatus.Failed, FileTransferProtocol.ReadReason(net), offset, seconds, rate);
            throw FileTransferProtocol.Protocol($"unexpected verdict '{(char)verdict}'");
        }
    }

    // Each piece goes zero-copy, then the same bytes are read back (from the page cache, still warm) and hashed on
    // this thread; a resume first hashes the prefix it does not send. Measured (issue 12, scripts/bench/files, 1 GiB,
    // medians of 5) against hashing on a thread of its own while the bytes go: as fast with both ends on this
    // machine's 2 cores (0.547 s against 0.543 s), faster with both pinned to one core (0.798 s against 0.969 s) and
    // against a receiver that does not hash (0.342 s against 0.434 s); and simpler.
    private static byte[] SendHashing(Socket socket, FileStream file, string path, long size, long offset, Progress progress, byte[] buffer, FileHashAlgorithm algorithm, TimeSpan stall)
    {
        using FileDigest digest = FileDigest.Create(algorithm);
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        FileHashing.AppendPrefix(digest, reader, offset, buffer);
        long position = offset;
        while (position < size)
        {
            int piece = (int)Math.Min(buffer.Length, size - position);
            ZeroCopy.SendRange(socket, file, position, piece, buffer, stall);
            FileHashing.AppendPrefix(digest, reader, piece, buffer);
            position += piece;
            progress.Advance(piece);
        }
        return digest.Finish();
    }

    // Over TLS: each piece read once, hashed, then written through the TLS stream (a stalled receiver is bounded by
    // the socket's send timeout, set from the verb's timeout like the zero-copy path's stall limit).
    private static byte[] SendHashingBuffered(Stream tls, FileStream file, long size, long offset, Progress progress, byte[] buffer, FileHashAlgorithm algorithm)
    {
        using FileDigest digest = FileDigest.Create(algorithm);
        FileHashing.AppendPrefix(digest, file, offset, buffer);
        long position = offset;
        while (position < size)
        {
            int n = file.Read(buffer, 0, (int)Math.Min(buffer.Length, size - position));
            if (n == 0) throw new IOException($"the file ended {size - position} bytes early (it shrank while being sent)");
            digest.Append(buffer, 0, n);
            tls.Write(buffer, 0, n);
            position += n;
            progress.Advance(n);
        }
        return digest.Finish();
    }

    private static (uint Mode, long MTime) Metadata(string path)
    {
        long mtime = (long)(File.GetLastWriteTimeUtc(path) - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalMilliseconds;
#if NET
        if (!OperatingSystem.IsWindows()) return ((uint)File.GetUnixFileMode(path), mtime);
#endif
        return (uint.MaxValue, mtime);
    }

    private static double Seconds(long since) => (Stopwatch.GetTimestamp() - since) / (double)Stopwatch.Frequency;

    // Progress events, at most four a second, plus one at each file's end.
    private sealed class Progress
    {
        private readonly IEventSink _sink;
        private readonly long _totalSize;
        private long _totalDone;
        private string _path = "";
        private long _size, _done, _startedAt, _lastReport;

        public Progress(IEventSink sink, IReadOnlyList<FileToSend> files)
        {
            _sink = sink;
            foreach (FileToSend f in files) _totalSize += f.Size;
        }

        public void Start(string path, long size, long offset)
        {
            _path = path;
            _size = size;
            _done = offset;
            _totalDone += offset;
            _startedAt = _lastReport = Stopwatch.GetTimestamp();
            _sink.Emit(new FileStarted(path, size, offset));
        }

        public void Skip(long size) => _totalDone += size;

        public void Advance(long bytes)
        {
            _done += bytes;
            _totalDone += bytes;
            long now = Stopwatch.GetTimestamp();
            if (_done < _size && now - _lastReport < Stopwatch.Frequency / 4) return;
            _lastReport = now;
            double seconds = (now - _startedAt) / (double)Stopwatch.Frequency;
            _sink.Emit(new FileProgress(_path, _done, _size, seconds > 0 ? _done / seconds : 0, _totalDone, _totalSize));
        }
    }
}
