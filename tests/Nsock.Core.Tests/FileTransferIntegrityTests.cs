using System;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// "Verified" means exactly the sender's bytes are in place under that name: a second sender of a name already
/// being received is refused, not mixed into the first one's partial, and a resume never writes into a file that
/// is also somewhere else (a hard link planted under the partial's name) (issue 14).
/// </summary>
public sealed class FileTransferIntegrityTests : IDisposable
{
    private readonly FileTransferFolder _tmp = new("integrity");
    private readonly string _dir;

    public FileTransferIntegrityTests() => _dir = _tmp.Folder("recv");

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Second_sender_of_a_name_being_received_is_refused_and_the_first_is_verified_with_its_own_bytes(bool secondResumes)
    {
        byte[] first = FileTransferSupport.Bytes(1000, 1);
        byte[] second = FileTransferSupport.Bytes(1000, 2);
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir, keepOpen: true);
        using FileProtocolClient a = await FileProtocolClient.ConnectAsync(listener.Endpoint);
        await a.SendHeaderAsync("same.bin", first.Length);
        Assert.Equal(new FileAnswer('A', 0, null), await a.ReadAnswerAsync());
        await a.SendAsync(first.AsMemory(0, 400)); // and holds the file, mid-transfer

        using (FileProtocolClient b = await FileProtocolClient.ConnectAsync(listener.Endpoint, flags: secondResumes ? (byte)1 : (byte)0))
        {
            (FileAnswer answer, FileAnswer? verdict) = await b.SendFileAsync("same.bin", second);
            Assert.Equal('N', answer.Code);
            Assert.Contains("'same.bin' is being received by another sender right now", answer.Reason);
            Assert.Null(verdict);
            await b.EndAsync();
        }

        await a.SendAsync(first.AsMemory(400));
        await a.SendAsync(FileTransferSupport.DigestBytes(first, a.Digest));
        Assert.Equal(new FileAnswer('V', 0, null), await a.ReadVerdictAsync());
        await a.EndAsync();
        Assert.Equal(first, File.ReadAllBytes(Path.Combine(_dir, "same.bin")));
        Assert.Equal(new[] { "same.bin" }, FileTransferSupport.Entries(_dir));
    }

    [Fact]
    public async Task Name_is_free_again_once_the_session_receiving_it_breaks_off()
    {
        byte[] content = FileTransferSupport.Bytes(1000, 3);
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir, keepOpen: true);
        using (FileProtocolClient a = await FileProtocolClient.ConnectAsync(listener.Endpoint))
        {
            await a.SendHeaderAsync("again.bin", content.Length);
            Assert.Equal('A', (await a.ReadAnswerAsync()).Code);
            await a.SendAsync(content.AsMemory(0, 300));
            a.Socket.Shutdown(SocketShutdown.Send);
            Assert.True(await a.SessionEndedAsync());
        }
        Assert.Equal(FileStatus.Failed, Assert.Single(await listener.Sink.WaitForAsync<FileResult>()).Status);

        using FileProtocolClient b = await FileProtocolClient.ConnectAsync(listener.Endpoint, flags: 1);
        (FileAnswer answer, FileAnswer? verdict) = await b.SendFileAsync("again.bin", content);
        Assert.Equal(new FileAnswer('A', 300, null), answer);
        Assert.Equal('V', verdict!.Code);
        await b.EndAsync();
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(_dir, "again.bin")));
    }

    [FileTransferUnixFact]
    [UnsupportedOSPlatform("windows")]
    public async Task Resume_onto_a_hard_link_planted_under_the_partials_name_leaves_the_linked_file_alone()
    {
        // The planted file outside DIR holds a true prefix of the sender's file, so a receiver that appended to it
        // would even verify: only the outside file's bytes tell.
        byte[] content = FileTransferSupport.Bytes(5000, 4);
        string outside = _tmp.File("outside/victim.bin", content.AsSpan(0, 1200).ToArray());
        string final = Path.Combine(_dir, "data.bin");
        Assert.Equal(0, link(outside, FileTransferSupport.PartialOf(final)));
        string source = _tmp.File("send/data.bin", content);
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir);

        FileResult sent = Assert.Single(await FileTransferSupport.SendAsync(listener.Endpoint, new[] { FileTransferSupport.Describe(source, "data.bin") }, resume: true));

        Assert.True(sent.Verified, sent.Reason);
        Assert.Equal(content.AsSpan(0, 1200).ToArray(), File.ReadAllBytes(outside));
        Assert.Equal(content, File.ReadAllBytes(final));
        Assert.Equal(new[] { "data.bin" }, FileTransferSupport.Entries(_dir));
    }

    [Fact]
    public async Task Bytes_kept_in_an_abandoned_partial_count_against_max_bytes_and_a_resume_pays_only_its_tail()
    {
        byte[] content = FileTransferSupport.Bytes(900, 6);
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir, maxBytes: 1000, keepOpen: true);
        using (FileProtocolClient a = await FileProtocolClient.ConnectAsync(listener.Endpoint))
        {
            await a.SendHeaderAsync("big.bin", content.Length);
            Assert.Equal('A', (await a.ReadAnswerAsync()).Code);
            await a.SendAsync(content.AsMemory(0, 899)); // one byte short, then gone
            a.Socket.Shutdown(SocketShutdown.Send);
            Assert.True(await a.SessionEndedAsync());
        }
        Assert.Equal(FileStatus.Failed, Assert.Single(await listener.Sink.WaitForAsync<FileResult>()).Status);

        using FileProtocolClient b = await FileProtocolClient.ConnectAsync(listener.Endpoint, flags: 1);
        (FileAnswer other, _) = await b.SendFileAsync("other.bin", content);
        Assert.Equal('N', other.Code);
        Assert.Contains("limit of 1000 bytes", other.Reason);
        (FileAnswer answer, FileAnswer? verdict) = await b.SendFileAsync("big.bin", content);
        Assert.Equal(new FileAnswer('A', 899, null), answer);
        Assert.Equal('V', verdict!.Code);
        await b.EndAsync();
        Assert.Equal(new[] { "big.bin" }, FileTransferSupport.Entries(_dir));
    }

    [FileTransferUnixFact]
    [UnsupportedOSPlatform("windows")]
    public async Task Mode_bits_from_the_sender_are_masked_by_the_receivers_umask_and_never_setuid_or_sticky()
    {
        uint umask = Umask();
        Assert.NotEqual(0u, umask & 0x12); // the test means something only if the umask takes group/other write (022 here)
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir);
        using FileProtocolClient client = await FileProtocolClient.ConnectAsync(listener.Endpoint);

        (_, FileAnswer? verdict) = await client.SendFileAsync("tool", FileTransferSupport.Bytes(100, 5), mode: 0x9FF); // 04777

        Assert.Equal('V', verdict!.Code);
        UnixFileMode mode = File.GetUnixFileMode(Path.Combine(_dir, "tool"));
        Assert.Equal((UnixFileMode)(0x1FF & ~umask), mode); // 0755 under umask 022
        Assert.Equal((UnixFileMode)0, mode & (UnixFileMode.SetUser | UnixFileMode.SetGroup | UnixFileMode.StickyBit | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
    }

    private static uint Umask()
    {
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Umask:", StringComparison.Ordinal));
        return Convert.ToUInt32(line.Substring(6).Trim(), 8);
    }

    // link(2): a second name for the same file (.NET has no managed call for it). Strings go as UTF-8 on Unix.
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code in this project; one call in a test
    [DllImport("libc", SetLastError = true)]
    private static extern int link(string existing, string created);
#pragma warning restore SYSLIB1054
}
