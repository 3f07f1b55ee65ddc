using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// A sender that speaks the protocol by hand and lies: unsafe names, links planted in the folder, short files,
/// wrong hashes, broken framing. Each is refused ('N'), failed ('X') or ends the session, nothing is written
/// outside the folder, and nothing appears under a final name. The folder sits two levels inside the test's
/// own temp folder, so "outside" is a place the test can watch.
/// </summary>
public sealed class FileTransferHostileSenderTests : IDisposable
{
    private static readonly byte[] Good = Encoding.ASCII.GetBytes("a good file after the bad one");
    private readonly FileTransferFolder _tmp = new("hostile");
    private readonly string _dir;
    private readonly string _outside;

    public FileTransferHostileSenderTests()
    {
        _dir = _tmp.Folder("outer", "inner", "recv");
        _outside = _tmp.Folder("outside");
        _tmp.File("outside/victim.txt", Encoding.ASCII.GetBytes("original"));
    }

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData("../../x")]
    [InlineData("../x")]
    [InlineData("..")]
    [InlineData("a/../../b")]
    [InlineData("a/../../../../outside/victim.txt")]
    [InlineData("C:/x")]
    [InlineData("c:x")]
    [InlineData("CON")]
    [InlineData("con.txt")]
    [InlineData("sub/NUL")]
    [InlineData("LPT1.log")]
    [InlineData("..\\..\\x")]
    [InlineData("a\\b")]
    [InlineData("./x")]
    [InlineData("a//b")]
    [InlineData("x/")]
    [InlineData("x.")]
    [InlineData("x ")]
    [InlineData("file:stream")]
    [InlineData("x\u0001y")]
    [InlineData("what?")]
    public async Task Unsafe_name_is_refused_and_the_session_goes_on(string name)
    {
        await AssertRefusedAsync(name, "unsafe path");
    }

    [Fact]
    public async Task Absolute_path_is_refused_even_when_it_points_at_a_real_file()
    {
        string absolute = Path.Combine(_outside, "victim.txt").Replace('\\', '/');
        if (!absolute.StartsWith('/')) absolute = "/" + absolute; // Windows: "/C:/..." is what a Unix-minded attacker sends

        await AssertRefusedAsync(absolute, "unsafe path");
        Assert.Equal("original", File.ReadAllText(Path.Combine(_outside, "victim.txt")));
    }

    [FileTransferLinkFact]
    public async Task Link_to_a_folder_outside_is_refused_as_a_path_segment()
    {
        FileTransferSupport.Link(Path.Combine(_dir, "out"), _outside, directory: true);

        await AssertRefusedAsync("out/x.txt", "symbolic link");
        Assert.False(File.Exists(Path.Combine(_outside, "x.txt")));
    }

    [FileTransferLinkFact]
    public async Task Link_to_a_file_outside_is_refused_even_with_overwrite_and_the_target_keeps_its_bytes()
    {
        FileTransferSupport.Link(Path.Combine(_dir, "victim"), Path.Combine(_outside, "victim.txt"), directory: false);

        await AssertRefusedAsync("victim", "symbolic link", overwrite: true);
        Assert.Equal("original", File.ReadAllText(Path.Combine(_outside, "victim.txt")));
        Assert.NotNull(new FileInfo(Path.Combine(_dir, "victim")).LinkTarget);
    }

    [FileTransferLinkFact]
    public async Task Link_planted_under_a_files_partial_name_is_not_followed_out_of_the_folder()
    {
        // Someone with write access to DIR plants ".report.txt.nsock-partial" -> a file outside; an honest
        // sender then sends report.txt. The receiver must not write through the link.
        string planted = FileTransferSupport.PartialOf(Path.Combine(_dir, "report.txt"));
        FileTransferSupport.Link(planted, Path.Combine(_outside, "victim.txt"), directory: false);
        SortedDictionary<string, string> before = FileTransferSupport.Snapshot(_tmp.Root, except: _dir);
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir);
        using FileProtocolClient client = await FileProtocolClient.ConnectAsync(listener.Endpoint);

        (FileAnswer answer, FileAnswer? verdict) = await client.SendFileAsync("report.txt", Encoding.ASCII.GetBytes("the sender's report"));

        Assert.Equal("original", File.ReadAllText(Path.Combine(_outside, "victim.txt")));
        Assert.Equal(before, FileTransferSupport.Snapshot(_tmp.Root, except: _dir));
        string final = Path.Combine(_dir, "report.txt");
        if (answer.Code == 'A' && verdict?.Code == 'V')
            Assert.Null(new FileInfo(final).LinkTarget); // in place as a regular file, not as the planted link
        else
            Assert.False(File.Exists(final));
    }

    // A FIFO planted under the partial's name made a resuming receiver open it and wait for a writer for ever.
    [FileTransferUnixFact]
    public async Task Fifo_planted_under_a_files_partial_name_is_removed_never_opened_even_on_resume()
    {
        string planted = FileTransferSupport.PartialOf(Path.Combine(_dir, "report.txt"));
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", planted)!)
        {
            Assert.True(mkfifo.WaitForExit(10_000));
            Assert.Equal(0, mkfifo.ExitCode);
        }
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir);
        using FileProtocolClient client = await FileProtocolClient.ConnectAsync(listener.Endpoint, flags: 1);

        (FileAnswer answer, FileAnswer? verdict) = await client.SendFileAsync("report.txt", Good).WaitAsync(Limits.Wait);

        Assert.Equal(('A', 0L), (answer.Code, answer.Offset));
        Assert.Equal('V', verdict!.Code);
        Assert.Equal(Good, File.ReadAllBytes(Path.Combine(_dir, "report.txt")));
        Assert.Equal(new[] { "report.txt" }, FileTransferSupport.Entries(_dir));
    }

    [FileTransferLinkFact]
    public async Task Dangling_link_under_the_final_name_creates_nothing_outside()
    {
        string target = Path.Combine(_outside, "created.txt");
        FileTransferSupport.Link(Path.Combine(_dir, "new.txt"), target, directory: false);
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir);
        using FileProtocolClient client = await FileProtocolClient.ConnectAsync(listener.Endpoint);

        (FileAnswer answer, FileAnswer? verdict) = await client.SendFileAsync("new.txt", Good);

        Assert.False(File.Exists(target), "a file was created outside the folder through a dangling link");
        if (verdict?.Code == 'V') Assert.Null(new FileInfo(Path.Combine(_dir, "new.txt")).LinkTarget);
        else Assert.True(answer.Code is 'N' or 'S', $"answer {answer.Code}");
    }

    [FileTransferLinkFact]
    public async Task Dangling_link_as_a_folder_creates_nothing_outside()
    {
        string target = Path.Combine(_outside, "newdir");
        FileTransferSupport.Link(Path.Combine(_dir, "sub"), target, directory: true);
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir);
        using FileProtocolClient client = await FileProtocolClient.ConnectAsync(listener.Endpoint);

        (FileAnswer answer, FileAnswer? verdict) = await client.SendFileAsync("sub/x.txt", Good);

        Assert.False(Directory.Exists(target) || File.Exists(target), "a folder was created outside through a dangling link");
        Assert.Equal('N', answer.Code);
        Assert.Null(verdict);
    }

    [Fact]
    public async Task Sender_that_announces_more_bytes_than_it_sends_ends_its_session_and_leaves_only_a_partial()
    {
        byte[] content = FileTransferSupport.Bytes(1000, 7);
        SortedDictionary<string, string> before = FileTransferSupport.Snapshot(_tmp.Root, except: _dir);
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir);
        using FileProtocolClient client = await FileProtocolClient.ConnectAsync(listener.Endpoint);

        await client.SendHeaderAsync("short.bin", 1000);
        Assert.Equal(new FileAnswer('A', 0, null), await client.ReadAnswerAsync());
        await client.SendAsync(content.AsMemory(0, 400));
        client.Socket.Shutdown(SocketShutdown.Send);

        Assert.True(await client.SessionEndedAsync(), "the receiver answered a short file instead of ending the session");
        FileResult failed = Assert.Single(await listener.Sink.WaitForAsync<FileResult>());
        Assert.Equal(("short.bin", FileStatus.Failed, false), (failed.Path, failed.Status, failed.Verified));
        Assert.Contains("400 of 1000", failed.Reason);
        Assert.False(File.Exists(Path.Combine(_dir, "short.bin")), "a short file appeared under its final name");
        string partial = FileTransferSupport.PartialOf(Path.Combine(_dir, "short.bin"));
        Assert.Equal(content.AsSpan(0, 400).ToArray(), File.ReadAllBytes(partial));
        Assert.Equal(new[] { ".short.bin.nsock-partial" }, FileTransferSupport.Entries(_dir));
        Assert.Equal(before, FileTransferSupport.Snapshot(_tmp.Root, except: _dir));
    }

    [Fact]
    public async Task Wrong_hash_fails_the_file_removes_its_partial_and_the_session_goes_on()
    {
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir);
        using FileProtocolClient client = await FileProtocolClient.ConnectAsync(listener.Endpoint);

        (FileAnswer answer, FileAnswer? verdict) = await client.SendFileAsync("lie.bin", FileTransferSupport.Bytes(5000, 8), hash: new byte[16]);

        Assert.Equal('A', answer.Code);
        Assert.Equal('X', verdict!.Code);
        Assert.Contains("xxh128 mismatch", verdict.Reason);
        Assert.Equal(new FileAnswer('V', 0, null), (await client.SendFileAsync("good.txt", Good)).Verdict);
        await client.EndAsync();
        Assert.Equal(new[] { "good.txt" }, FileTransferSupport.Entries(_dir));
        FileResult failed = (await listener.Sink.WaitForAsync<FileResult>(2)).Single(r => r.Path == "lie.bin");
        Assert.Equal((FileStatus.Failed, false), (failed.Status, failed.Verified));
    }

    [FileTransferUnixFact]
    [UnsupportedOSPlatform("windows")]
    public async Task Permission_bits_from_the_sender_never_include_setuid_setgid_or_sticky()
    {
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir);
        using FileProtocolClient client = await FileProtocolClient.ConnectAsync(listener.Endpoint);

        (_, FileAnswer? verdict) = await client.SendFileAsync("tool", Good, mode: 0xFED); // 07755

        Assert.Equal('V', verdict!.Code);
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Combine(_dir, "tool"))); // 0755
    }

    public static TheoryData<string, byte[], string> UnreceivableHeaders => new()
    {
        { "an empty name", FileProtocolClient.Header(Array.Empty<byte>(), 5), "the file name is empty" },
        { "a name past 4096 bytes", FileProtocolClient.Header(Encoding.ASCII.GetBytes(new string('a', 4097)), 5), "the file name is 4097 bytes long (at most 4096)" },
        { "a name that is not UTF-8", FileProtocolClient.Header(new byte[] { 0x66, 0xFF, 0xFE }, 5), "the file name is not UTF-8" },
        { "a size of 2^64-1", FileProtocolClient.Header("neg.bin", -1), "a size of 18446744073709551615 bytes" },
        { "a size of 2^63", FileProtocolClient.Header("big.bin", long.MinValue), "a size of 9223372036854775808 bytes" },
    };

    // Issue 14.8: these ended the session with no answer; the sender now gets a refusal it can print, and goes on.
    [Theory]
    [MemberData(nameof(UnreceivableHeaders))]
    public async Task Unreceivable_header_is_refused_with_a_reason_and_the_session_goes_on(string what, byte[] header, string reasonPart)
    {
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir);
        using FileProtocolClient client = await FileProtocolClient.ConnectAsync(listener.Endpoint);

        await client.SendAsync(header);
        FileAnswer answer = await client.ReadAnswerAsync();

        Assert.Equal('N', answer.Code);
        Assert.Contains(reasonPart, answer.Reason);
        (FileAnswer next, FileAnswer? verdict) = await client.SendFileAsync("good.txt", Good);
        Assert.Equal('A', next.Code);
        Assert.Equal('V', verdict!.Code);
        await client.EndAsync();
        FileResult refused = (await FileTransferSupport.ReceiverResultsAsync(listener, 2))[0];
        Assert.Equal(FileStatus.Refused, refused.Status);
        Assert.Contains(reasonPart, refused.Reason);
        Assert.Equal(new[] { "good.txt" }, FileTransferSupport.Entries(_dir));
        Assert.NotNull(what);
    }

    public static TheoryData<string, byte[]> BrokenFraming => new()
    {
        { "an unknown message", new[] { (byte)'Z' } },
        { "a header cut short", FileProtocolClient.Header("cut.bin", 5).AsSpan(0, 10).ToArray() },
    };

    [Theory]
    [MemberData(nameof(BrokenFraming))]
    public async Task Broken_framing_ends_that_session_only_and_writes_nothing(string what, byte[] bytes)
    {
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir, keepOpen: true);
        using (FileProtocolClient client = await FileProtocolClient.ConnectAsync(listener.Endpoint))
        {
            await client.SendAsync(bytes);
            if (what == "a header cut short") client.Socket.Shutdown(SocketShutdown.Send);
            Assert.True(await client.SessionEndedAsync(), $"the receiver kept talking after {what}");
        }
        Assert.Empty(FileTransferSupport.Entries(_dir));

        // The listener still serves the next sender.
        string source = _tmp.File("send/next.txt", Good);
        FileResult next = Assert.Single(await FileTransferSupport.SendAsync(listener.Endpoint, new[] { FileTransferSupport.Describe(source, "next.txt") }));
        Assert.True(next.Verified, next.Reason);
        Assert.Equal(new[] { "next.txt" }, FileTransferSupport.Entries(_dir));
    }

    [Fact]
    public async Task Peer_without_the_greeting_gets_nothing_back_and_is_closed()
    {
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir);
        using FileProtocolClient client = await FileProtocolClient.ConnectRawAsync(listener.Endpoint);

        await client.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));

        Assert.True(await client.SessionEndedAsync(), "an HTTP client got an answer from the file receiver");
        Assert.Empty(FileTransferSupport.Entries(_dir));
    }

    [Fact]
    public async Task Sender_of_a_newer_protocol_version_is_told_version_2_not_supported_and_closed()
    {
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir);
        using FileProtocolClient client = await FileProtocolClient.ConnectRawAsync(listener.Endpoint);

        await client.SendAsync(new byte[] { (byte)'N', (byte)'S', (byte)'F', (byte)'T', 3, 0 });

        Assert.Equal(new byte[] { (byte)'N', (byte)'S', (byte)'F', (byte)'T', 2, 1 }, await client.Socket.ReadExactlyAsync(6));
        Assert.True(await client.SessionEndedAsync());
    }

    // Sends a header for `name` (5 bytes); the receiver must refuse it with a reason, keep the session, take a good
    // file next, and leave everything outside DIR as it was.
    private async Task AssertRefusedAsync(string name, string reasonPart, bool overwrite = false)
    {
        SortedDictionary<string, string> before = FileTransferSupport.Snapshot(_tmp.Root, except: _dir);
        string[] dirBefore = FileTransferSupport.Entries(_dir);
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir, overwrite);
        using FileProtocolClient client = await FileProtocolClient.ConnectAsync(listener.Endpoint);

        await client.SendHeaderAsync(name, 5);
        FileAnswer answer = await client.ReadAnswerAsync();

        Assert.Equal('N', answer.Code);
        Assert.Contains(reasonPart, answer.Reason);
        Assert.Equal(new FileAnswer('V', 0, null), (await client.SendFileAsync("good.txt", Good)).Verdict);
        await client.EndAsync();
        await listener.FinishedAsync();
        FileResult refused = listener.Sink.Of<FileResult>().First();
        Assert.Equal((name, FileStatus.Refused), (refused.Path, refused.Status));
        Assert.Equal(before, FileTransferSupport.Snapshot(_tmp.Root, except: _dir));
        Assert.Equal(dirBefore.Append("good.txt").OrderBy(e => e, StringComparer.Ordinal), FileTransferSupport.Entries(_dir));
    }
}
