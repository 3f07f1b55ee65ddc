using System;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>What the receiver lets in: existing files only with Overwrite, and at most MaxBytes in all senders together.</summary>
public sealed class FileTransferOverwriteAndLimitTests : IDisposable
{
    private readonly FileTransferFolder _tmp = new("limits");
    private readonly string _dir;

    public FileTransferOverwriteAndLimitTests() => _dir = _tmp.Folder("recv");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task Existing_file_is_skipped_without_overwrite_and_keeps_its_bytes()
    {
        File.WriteAllText(Path.Combine(_dir, "a.txt"), "old");
        string source = _tmp.File("send/a.txt", Encoding.ASCII.GetBytes("new content"));
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir);
        using FileProtocolClient client = await FileProtocolClient.ConnectAsync(listener.Endpoint);

        await client.SendHeaderAsync("a.txt", 11);
        FileAnswer answer = await client.ReadAnswerAsync();
        await client.EndAsync();

        Assert.Equal('S', answer.Code);
        Assert.Contains("exists", answer.Reason);
        Assert.Equal("old", File.ReadAllText(Path.Combine(_dir, "a.txt")));
        Assert.Equal(new[] { "a.txt" }, FileTransferSupport.Entries(_dir));
        FileResult received = Assert.Single(await listener.Sink.WaitForAsync<FileResult>());
        Assert.Equal((FileStatus.Skipped, false), (received.Status, received.Verified));

        // The engine's sender reports it the same way, and counts it as in place.
        await using FileTransferListener again = await FileTransferSupport.ReceiverAsync(_dir);
        FileResult sent = Assert.Single(await FileTransferSupport.SendAsync(again.Endpoint, new[] { FileTransferSupport.Describe(source, "a.txt") }));
        Assert.Equal((FileStatus.Skipped, false, true), (sent.Status, sent.Verified, sent.Succeeded));
        Assert.Null(sent.Sha256);
        Assert.Equal("old", File.ReadAllText(Path.Combine(_dir, "a.txt")));
    }

    [Fact]
    public async Task Existing_file_is_replaced_with_overwrite()
    {
        File.WriteAllText(Path.Combine(_dir, "a.txt"), "old and longer than the new one");
        string source = _tmp.File("send/a.txt", Encoding.ASCII.GetBytes("new"));
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir, overwrite: true);

        FileResult sent = Assert.Single(await FileTransferSupport.SendAsync(listener.Endpoint, new[] { FileTransferSupport.Describe(source, "a.txt") }));

        Assert.Equal((FileStatus.Sent, true), (sent.Status, sent.Verified));
        Assert.Equal("new", File.ReadAllText(Path.Combine(_dir, "a.txt")));
        Assert.Equal(new[] { "a.txt" }, FileTransferSupport.Entries(_dir));
    }

    [Fact]
    public async Task Folder_in_the_way_of_a_file_is_refused_even_with_overwrite()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "a.txt", "inside"));
        string source = _tmp.File("send/a.txt", Encoding.ASCII.GetBytes("x"));
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir, overwrite: true);

        FileResult sent = Assert.Single(await FileTransferSupport.SendAsync(listener.Endpoint, new[] { FileTransferSupport.Describe(source, "a.txt") }));

        Assert.Equal((FileStatus.Refused, false), (sent.Status, sent.Verified));
        Assert.Contains("folder", sent.Reason);
        Assert.True(Directory.Exists(Path.Combine(_dir, "a.txt", "inside")));
    }

    [Fact]
    public async Task File_in_the_way_of_a_folder_is_refused_and_the_next_file_still_arrives()
    {
        File.WriteAllText(Path.Combine(_dir, "d"), "a file named like the folder");
        string x = _tmp.File("send/x.txt", Encoding.ASCII.GetBytes("x"));
        string y = _tmp.File("send/y.txt", Encoding.ASCII.GetBytes("y"));
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir);

        var results = await FileTransferSupport.SendAsync(listener.Endpoint, new[] { FileTransferSupport.Describe(x, "d/x.txt"), FileTransferSupport.Describe(y, "y.txt") });

        Assert.Equal(new[] { FileStatus.Refused, FileStatus.Sent }, results.Select(r => r.Status));
        Assert.Equal("a file named like the folder", File.ReadAllText(Path.Combine(_dir, "d")));
        Assert.Equal("y", File.ReadAllText(Path.Combine(_dir, "y.txt")));
    }

    [Fact]
    public async Task MaxBytes_refuses_a_file_that_would_pass_the_limit_and_keeps_serving_the_next_sender()
    {
        string a = _tmp.File("send/a.bin", FileTransferSupport.Bytes(600, 1));
        string b = _tmp.File("send/b.bin", FileTransferSupport.Bytes(600, 2));
        string c = _tmp.File("send/c.bin", FileTransferSupport.Bytes(400, 3));
        string d = _tmp.File("send/d.bin", FileTransferSupport.Bytes(1, 4));
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir, maxBytes: 1000, keepOpen: true);

        var first = await FileTransferSupport.SendAsync(listener.Endpoint, new[] { FileTransferSupport.Describe(a, "a.bin"), FileTransferSupport.Describe(b, "b.bin") });
        var second = await FileTransferSupport.SendAsync(listener.Endpoint, new[] { FileTransferSupport.Describe(c, "c.bin") });
        var third = await FileTransferSupport.SendAsync(listener.Endpoint, new[] { FileTransferSupport.Describe(d, "d.bin") });

        Assert.Equal(new[] { FileStatus.Sent, FileStatus.Refused }, first.Select(r => r.Status));
        Assert.Contains("1000 bytes (files-byte-limit)", first[1].Reason);
        Assert.Equal((FileStatus.Sent, true), (second[0].Status, second[0].Verified)); // 600 + 400 is exactly the limit
        Assert.Equal(FileStatus.Refused, third[0].Status); // one byte more is not
        Assert.Equal(new[] { "a.bin", "c.bin" }, FileTransferSupport.Entries(_dir));
    }

    [Fact]
    public async Task Bytes_of_a_file_that_failed_verification_do_not_count_against_MaxBytes()
    {
        string good = _tmp.File("send/good.bin", FileTransferSupport.Bytes(600, 1));
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir, maxBytes: 1000, keepOpen: true);
        using (FileProtocolClient liar = await FileProtocolClient.ConnectAsync(listener.Endpoint))
        {
            (_, FileAnswer? verdict) = await liar.SendFileAsync("lie.bin", FileTransferSupport.Bytes(600, 2), hash: new byte[16]);
            Assert.Equal('X', verdict!.Code);
            await liar.EndAsync();
        }

        FileResult sent = Assert.Single(await FileTransferSupport.SendAsync(listener.Endpoint, new[] { FileTransferSupport.Describe(good, "good.bin") }));

        Assert.Equal((FileStatus.Sent, true), (sent.Status, sent.Verified));
    }

    [Fact]
    public async Task MaxBytes_cannot_be_passed_by_announcing_a_size_that_overflows_the_count()
    {
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir, maxBytes: 1000, keepOpen: true);
        using FileProtocolClient client = await FileProtocolClient.ConnectAsync(listener.Endpoint);
        Assert.Equal('V', (await client.SendFileAsync("first.bin", FileTransferSupport.Bytes(10, 1))).Verdict!.Code);

        // 10 already taken + long.MaxValue wraps below the limit if the sum is not checked.
        await client.SendHeaderAsync("huge.bin", long.MaxValue);
        FileAnswer answer = await client.ReadAnswerAsync();

        if (answer.Code == 'A')
        {
            // Accepted: show what that allows, 4 KiB past the limit, then stop.
            await client.SendAsync(new byte[4096]);
            client.Socket.Shutdown(SocketShutdown.Send);
            await client.SessionEndedAsync();
        }
        Assert.Equal('N', answer.Code);
    }
}
