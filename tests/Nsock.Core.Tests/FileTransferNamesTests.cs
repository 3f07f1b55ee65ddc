using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// Issue 14.8: names up to the file system's 255 bytes are received and resumed (the partial's name always fits),
/// and what the receiver tells the sender never names a path of the receiver's machine.
/// </summary>
public sealed class FileTransferNamesTests : IDisposable
{
    private readonly FileTransferFolder _tmp = new("names");
    private readonly string _dir;

    public FileTransferNamesTests() => _dir = _tmp.Folder("recv");

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData(242)]
    [InlineData(255)]
    public async Task Name_of_up_to_255_bytes_is_received_and_verified(int bytes)
    {
        string name = new string('n', bytes - 4) + ".bin";
        byte[] content = FileTransferSupport.Bytes(10_000, bytes);
        string source = _tmp.File("send/" + name, content);
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir);

        FileResult sent = Assert.Single(await FileTransferSupport.SendAsync(listener.Endpoint, new[] { FileTransferSupport.Describe(source, name) }));

        Assert.True(sent.Verified, sent.Reason);
        Assert.True(content.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(_dir, name))));
        Assert.Equal(new[] { name }, FileTransferSupport.Entries(_dir));
    }

    [Fact]
    public async Task Long_multibyte_name_is_cut_off_and_resumed_from_its_partial()
    {
        // 83 three-byte characters and ".bin": 253 bytes, so the old partial name (".NAME.nsock-partial", 268 bytes) could not exist.
        string name = string.Concat(Enumerable.Repeat("\u20ac", 83)) + ".bin";
        Assert.Equal(253, Encoding.UTF8.GetByteCount(name));
        byte[] content = FileTransferSupport.Bytes(40_000, 9);
        await using (FileTransferListener first = await FileTransferSupport.ReceiverAsync(_dir))
        {
            using FileProtocolClient client = await FileProtocolClient.ConnectAsync(first.Endpoint, flags: 1);
            await client.SendHeaderAsync(name, content.Length);
            Assert.Equal('A', (await client.ReadAnswerAsync()).Code);
            await client.SendAsync(content.AsMemory(0, 15_000));
            client.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Both);
            Assert.Equal(FileStatus.Failed, Assert.Single(await first.Sink.WaitForAsync<FileResult>()).Status);
        }
        string partial = Assert.Single(Directory.GetFiles(_dir));
        Assert.EndsWith(".nsock-partial", partial);
        Assert.True(Encoding.UTF8.GetByteCount(Path.GetFileName(partial)) <= 255);
        Assert.Equal(15_000, new FileInfo(partial).Length);

        string source = _tmp.File("send/" + name, content);
        await using FileTransferListener second = await FileTransferSupport.ReceiverAsync(_dir);
        FileResult resumed = Assert.Single(await FileTransferSupport.SendAsync(second.Endpoint, new[] { FileTransferSupport.Describe(source, name) }, resume: true));

        Assert.True(resumed.Verified, resumed.Reason);
        Assert.Equal(15_000, resumed.ResumedFrom);
        Assert.True(content.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(_dir, name))));
        Assert.Equal(new[] { name }, FileTransferSupport.Entries(_dir));
    }

    [Fact]
    public async Task Refusal_for_a_write_failure_names_the_file_but_never_the_receivers_folder()
    {
        File.WriteAllText(Path.Combine(_dir, "sub"), "a file where the sender wants a folder");
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir);
        using FileProtocolClient client = await FileProtocolClient.ConnectAsync(listener.Endpoint);

        (FileAnswer answer, _) = await client.SendFileAsync("sub/x.txt", Encoding.ASCII.GetBytes("x"));

        Assert.Equal('N', answer.Code);
        Assert.Contains("cannot write it here", answer.Reason);
        Assert.Contains("sub", answer.Reason);
        Assert.DoesNotContain(_tmp.Root, answer.Reason);
        Assert.DoesNotContain(Path.GetFileName(_tmp.Root), answer.Reason);
    }
}
