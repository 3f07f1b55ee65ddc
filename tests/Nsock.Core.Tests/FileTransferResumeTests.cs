using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// A sender that stops mid-file leaves a partial; --resume continues it from there and the whole file is still
/// verified. (The real binary killed mid-transfer is in the CLI tests; here a sender speaking the protocol by
/// hand stops at an exact byte, so the resume offset is known.)
/// </summary>
public sealed class FileTransferResumeTests : IDisposable
{
    private const int Size = 6 * 1024 * 1024 + 123; // past 4 MiB: the receiver's pipelined path
    private readonly FileTransferFolder _tmp = new("resume");
    private readonly string _dir;
    private readonly string _source;
    private readonly byte[] _content;

    public FileTransferResumeTests()
    {
        _dir = _tmp.Folder("recv");
        _content = FileTransferSupport.Bytes(Size, 42);
        _source = _tmp.File("send/data.bin", _content);
    }

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData(FileHashAlgorithm.XXH128)]
    [InlineData(FileHashAlgorithm.SHA256)]
    public async Task Sender_that_stops_halfway_leaves_a_partial_and_resume_completes_it_from_there(FileHashAlgorithm algorithm)
    {
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir, keepOpen: true);
        const int half = Size / 2;
        await StopAfterAsync(listener, half);
        string final = Path.Combine(_dir, "data.bin");
        Assert.False(File.Exists(final));
        long kept = new FileInfo(FileTransferSupport.PartialOf(final)).Length;
        Assert.InRange(kept, 1, half);

        var senderSink = new FileTransferSink();
        FileResult sent = Assert.Single(await FileTransferSupport.SendAsync(listener.Endpoint, new[] { FileTransferSupport.Describe(_source, "data.bin") }, resume: true, sink: senderSink, hash: algorithm));

        Assert.Equal((FileStatus.Sent, true, kept), (sent.Status, sent.Verified, sent.ResumedFrom));
        // The digest of the whole file, not of the tail that travelled.
        Assert.Equal((algorithm, FileTransferSupport.Digest(_content, algorithm)), (sent.Algorithm, sent.Digest));
        Assert.Equal(kept, Assert.Single(senderSink.Of<FileStarted>()).Offset);
        FileResult received = (await listener.Sink.WaitForAsync<FileResult>(2))[1];
        Assert.Equal((FileStatus.Received, true, kept), (received.Status, received.Verified, received.ResumedFrom));
        Assert.Equal((algorithm, FileTransferSupport.Digest(_content, algorithm)), (received.Algorithm, received.Digest));
        Assert.Equal(_content, File.ReadAllBytes(final));
        Assert.False(File.Exists(FileTransferSupport.PartialOf(final)), "the partial is still there after the file was placed");
    }

    [Fact]
    public async Task Every_byte_that_arrived_before_a_big_file_stopped_is_kept_in_the_partial()
    {
        // Big files go through the receiver's pipeline (whole 1 MiB buffers); the last, partly filled buffer
        // holds bytes that arrived too, and the partial (and the reported count) should include them.
        const int count = 3 * 1024 * 1024 + 100;
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir);

        await StopAfterAsync(listener, count);

        string partial = FileTransferSupport.PartialOf(Path.Combine(_dir, "data.bin"));
        Assert.Equal(count, new FileInfo(partial).Length);
        Assert.True(_content.AsSpan(0, count).SequenceEqual(File.ReadAllBytes(partial)));
    }

    [Fact]
    public async Task Resume_of_a_small_file_uses_the_same_offset_rules()
    {
        byte[] small = FileTransferSupport.Bytes(3000, 5);
        string source = _tmp.File("send/small.bin", small);
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir, keepOpen: true);
        using (FileProtocolClient client = await FileProtocolClient.ConnectAsync(listener.Endpoint))
        {
            await client.SendHeaderAsync("small.bin", small.Length);
            Assert.Equal('A', (await client.ReadAnswerAsync()).Code);
            await client.SendAsync(small.AsMemory(0, 1234));
            client.Socket.Shutdown(SocketShutdown.Send);
            Assert.True(await client.SessionEndedAsync());
        }
        await listener.Sink.WaitForAsync<FileResult>();

        FileResult sent = Assert.Single(await FileTransferSupport.SendAsync(listener.Endpoint, new[] { FileTransferSupport.Describe(source, "small.bin") }, resume: true));

        Assert.Equal((true, 1234L), (sent.Verified, sent.ResumedFrom));
        Assert.Equal(small, File.ReadAllBytes(Path.Combine(_dir, "small.bin")));
    }

    [Fact]
    public async Task Without_resume_a_partial_is_started_over_from_byte_zero()
    {
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir, keepOpen: true);
        await StopAfterAsync(listener, 1000);

        FileResult sent = Assert.Single(await FileTransferSupport.SendAsync(listener.Endpoint, new[] { FileTransferSupport.Describe(_source, "data.bin") }, resume: false));

        Assert.Equal((true, 0L), (sent.Verified, sent.ResumedFrom));
        Assert.Equal(_content, File.ReadAllBytes(Path.Combine(_dir, "data.bin")));
    }

    [Fact]
    public async Task Resume_without_a_partial_sends_the_whole_file()
    {
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir);

        FileResult sent = Assert.Single(await FileTransferSupport.SendAsync(listener.Endpoint, new[] { FileTransferSupport.Describe(_source, "data.bin") }, resume: true));

        Assert.Equal((true, 0L), (sent.Verified, sent.ResumedFrom));
        Assert.Equal(_content, File.ReadAllBytes(Path.Combine(_dir, "data.bin")));
    }

    [Theory]
    [InlineData(FileHashAlgorithm.XXH128, "xxh128 mismatch")]
    [InlineData(FileHashAlgorithm.SHA256, "sha256 mismatch")]
    public async Task Resume_onto_a_partial_of_other_bytes_fails_verification_and_removes_the_partial_so_a_retry_succeeds(FileHashAlgorithm algorithm, string why)
    {
        string final = Path.Combine(_dir, "data.bin");
        File.WriteAllBytes(FileTransferSupport.PartialOf(final), FileTransferSupport.Bytes(2000, 999)); // not the sender's prefix
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir, keepOpen: true);
        FileToSend[] files = { FileTransferSupport.Describe(_source, "data.bin") };

        FileResult first = Assert.Single(await FileTransferSupport.SendAsync(listener.Endpoint, files, resume: true, hash: algorithm));

        Assert.Equal((FileStatus.Failed, false, 2000L), (first.Status, first.Verified, first.ResumedFrom));
        Assert.Contains(why, first.Reason);
        Assert.False(File.Exists(final));
        Assert.False(File.Exists(FileTransferSupport.PartialOf(final)), "a partial that failed verification would poison every later resume");

        FileResult second = Assert.Single(await FileTransferSupport.SendAsync(listener.Endpoint, files, resume: true, hash: algorithm));
        Assert.Equal((true, 0L), (second.Verified, second.ResumedFrom));
        Assert.Equal(_content, File.ReadAllBytes(final));
    }

    [Fact]
    public async Task Partial_longer_than_the_file_is_not_resumed_but_replaced()
    {
        string final = Path.Combine(_dir, "data.bin");
        File.WriteAllBytes(FileTransferSupport.PartialOf(final), FileTransferSupport.Bytes(Size + 10, 1));
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir);

        FileResult sent = Assert.Single(await FileTransferSupport.SendAsync(listener.Endpoint, new[] { FileTransferSupport.Describe(_source, "data.bin") }, resume: true));

        Assert.Equal((true, 0L), (sent.Verified, sent.ResumedFrom));
        Assert.Equal(_content, File.ReadAllBytes(final));
    }

    // A sender that sends the header for data.bin and the first `count` bytes, then half-closes and goes.
    private async Task StopAfterAsync(FileTransferListener listener, int count)
    {
        using (FileProtocolClient client = await FileProtocolClient.ConnectAsync(listener.Endpoint))
        {
            await client.SendHeaderAsync("data.bin", Size);
            Assert.Equal(new FileAnswer('A', 0, null), await client.ReadAnswerAsync());
            await client.SendAsync(_content.AsMemory(0, count));
            client.Socket.Shutdown(SocketShutdown.Send);
            Assert.True(await client.SessionEndedAsync());
        }
        IReadOnlyList<FileResult> failed = await listener.Sink.WaitForAsync<FileResult>();
        Assert.Equal(("data.bin", FileStatus.Failed, false), (failed[0].Path, failed[0].Status, failed[0].Verified));
        Assert.Contains($" of {Size} bytes (partial kept for resume)", failed[0].Reason);
    }
}
