using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>Whole files over real loopback: what arrives is byte for byte what was sent, and both sides say so by its digest (XXH3-128 by default, SHA-256 on request).</summary>
public sealed class FileTransferVerifiedTests : IClassFixture<FileTransferBigFile>, IDisposable
{
    private readonly FileTransferBigFile _big;
    private readonly FileTransferFolder _tmp = new("verified");

    public FileTransferVerifiedTests(FileTransferBigFile big) => _big = big;

    public void Dispose() => _tmp.Dispose();

    // The digests of no bytes, from the reference implementations: sha256sum and xxhsum -H2 of an empty file.
    [Theory]
    [InlineData(FileHashAlgorithm.XXH128, "99aa06d3014798d86001c324468d497f")]
    [InlineData(FileHashAlgorithm.SHA256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public async Task Empty_file_arrives_verified_with_the_digest_of_no_bytes(FileHashAlgorithm algorithm, string digest)
    {
        string source = _tmp.File("send/empty.txt", Array.Empty<byte>());

        (FileResult sent, FileResult received, string dest) = await SendOneAsync(source, "empty.txt", algorithm);

        AssertVerifiedBothSides(sent, received, algorithm, digest, 0);
        Assert.Equal(0, new FileInfo(dest).Length);
    }

    [Theory]
    [InlineData(FileHashAlgorithm.XXH128)]
    [InlineData(FileHashAlgorithm.SHA256)]
    public async Task One_byte_file_arrives_verified(FileHashAlgorithm algorithm)
    {
        string source = _tmp.File("send/one.bin", new byte[] { 0xA5 });

        (FileResult sent, FileResult received, string dest) = await SendOneAsync(source, "one.bin", algorithm);

        AssertVerifiedBothSides(sent, received, algorithm, FileTransferSupport.Digest(new byte[] { 0xA5 }, algorithm), 1);
        Assert.Equal(new byte[] { 0xA5 }, File.ReadAllBytes(dest));
    }

    [Theory]
    [InlineData(FileHashAlgorithm.XXH128)]
    [InlineData(FileHashAlgorithm.SHA256)]
    public async Task Hundred_MiB_random_file_arrives_byte_for_byte_with_matching_digests_on_both_sides(FileHashAlgorithm algorithm)
    {
        (FileResult sent, FileResult received, string dest) = await SendOneAsync(_big.Path, "big.bin", algorithm);

        AssertVerifiedBothSides(sent, received, algorithm, _big.Digest(algorithm), FileTransferBigFile.Size);
        Assert.Equal(0, sent.ResumedFrom);
        Assert.True(FileTransferSupport.SameBytes(_big.Path, dest), "the received file differs from the sent one");
        Assert.Equal(_big.Sha256, FileTransferSupport.Sha256OfFile(dest));
    }

    [Theory]
    [InlineData(FileHashAlgorithm.XXH128)]
    [InlineData(FileHashAlgorithm.SHA256)]
    public async Task Thousand_small_files_in_nested_folders_arrive_byte_for_byte_under_their_relative_paths(FileHashAlgorithm algorithm)
    {
        string tree = _tmp.Folder("send", "tree");
        var expected = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (int i = 0; i < 1000; i++)
        {
            string rel = $"d{i % 7}/e{i % 5}/f{i % 3}/file{i:D4}.dat";
            byte[] content = FileTransferSupport.Bytes(i % 97 * 13, seed: i); // 0 to 1,248 bytes, some empty
            string path = Path.Combine(tree, rel.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content);
            expected["tree/" + rel] = content;
        }
        IReadOnlyList<FileToSend> files = FileSelection.Expand(new[] { tree }, null, _tmp.Root);
        Assert.Equal(1000, files.Count);
        string dest = _tmp.Folder("recv");
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(dest);

        IReadOnlyList<FileResult> sent = await FileTransferSupport.SendAsync(listener.Endpoint, files, hash: algorithm);
        IReadOnlyList<FileResult> received = await FileTransferSupport.ReceiverResultsAsync(listener, 1000);

        Assert.All(sent, r => Assert.True(r.Verified && r.Status == FileStatus.Sent, $"{r.Path}: {r.Status} {r.Reason}"));
        Assert.All(received, r => Assert.True(r.Verified && r.Status == FileStatus.Received, $"{r.Path}: {r.Status} {r.Reason}"));
        Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal), sent.Select(r => r.Path).OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal), received.Select(r => r.Path).OrderBy(k => k, StringComparer.Ordinal));
        foreach (FileResult r in sent) Assert.Equal((algorithm, FileTransferSupport.Digest(expected[r.Path], algorithm)), (r.Algorithm, r.Digest));
        foreach (FileResult r in received) Assert.Equal((algorithm, FileTransferSupport.Digest(expected[r.Path], algorithm)), (r.Algorithm, r.Digest));
        foreach ((string rel, byte[] content) in expected)
            Assert.True(content.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dest, rel.Replace('/', Path.DirectorySeparatorChar)))), rel);
        // Nothing but the files: no partial left behind.
        Assert.Equal(1000, Directory.EnumerateFiles(dest, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Count());
        await listener.FinishedAsync();
    }

    [Fact]
    public async Task Received_file_gets_the_senders_modification_time_and_permission_bits()
    {
        string source = _tmp.File("send/script.sh", FileTransferSupport.Bytes(5000, 3));
        const UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead; // 0740
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(source, mode);
        var mtime = new DateTime(2001, 2, 3, 4, 5, 6, 789, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(source, mtime);

        (FileResult sent, FileResult received, string dest) = await SendOneAsync(source, "script.sh");

        Assert.True(sent.Verified && received.Verified);
        Assert.Equal(mtime, File.GetLastWriteTimeUtc(dest));
        if (!OperatingSystem.IsWindows()) Assert.Equal(mode, File.GetUnixFileMode(dest)); // Windows senders send no mode
    }

    private async Task<(FileResult Sent, FileResult Received, string Dest)> SendOneAsync(string source, string name, FileHashAlgorithm algorithm = FileHashAlgorithm.XXH128)
    {
        string dest = _tmp.Folder("recv");
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(dest);
        var senderSink = new FileTransferSink();

        IReadOnlyList<FileResult> sent = await FileTransferSupport.SendAsync(listener.Endpoint, new[] { FileTransferSupport.Describe(source, name) }, sink: senderSink, hash: algorithm);
        FileResult received = Assert.Single(await FileTransferSupport.ReceiverResultsAsync(listener, 1));

        // The sender reports its result as an event too, the same record it returns.
        Assert.Equal(Assert.Single(sent), Assert.Single(senderSink.Of<FileResult>()));
        Assert.Equal(name, received.Path);
        await listener.FinishedAsync(); // without keep-open the listener serves this one sender and stops
        string path = Path.Combine(dest, name);
        Assert.True(File.Exists(path), $"{name} is not in place");
        Assert.False(File.Exists(FileTransferSupport.PartialOf(path)), "the partial was left behind");
        return (sent[0], received, path);
    }

    private static void AssertVerifiedBothSides(FileResult sent, FileResult received, FileHashAlgorithm algorithm, string digest, long size)
    {
        Assert.Equal((FileStatus.Sent, true, (string?)null), (sent.Status, sent.Verified, sent.Reason));
        Assert.Equal((FileStatus.Received, true, (string?)null), (received.Status, received.Verified, received.Reason));
        Assert.Equal((algorithm, digest), (sent.Algorithm, sent.Digest));
        Assert.Equal((algorithm, digest), (received.Algorithm, received.Digest));
        // Sha256 is the digest only when it is one (the field protocol version 1 had).
        Assert.Equal(algorithm == FileHashAlgorithm.SHA256 ? digest : null, sent.Sha256);
        Assert.Equal(size, sent.Size);
        Assert.Equal(size, received.Size);
        Assert.True(sent.Succeeded);
    }
}
