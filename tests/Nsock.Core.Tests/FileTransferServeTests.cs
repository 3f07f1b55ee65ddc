using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// <c>nsock listen --serve DIR</c> in-process: a client sends "name\n" and gets the file's bytes, or one line
/// "nsock: error: ..." and nothing else. The served folder sits inside the test's temp folder, beside a secret
/// file that a path trick would reach.
/// </summary>
public sealed class FileTransferServeTests : IDisposable
{
    private readonly FileTransferFolder _tmp = new("serve");
    private readonly string _dir;
    private readonly byte[] _data = FileTransferSupport.Bytes(1024 * 1024 + 17, 11);

    public FileTransferServeTests()
    {
        _dir = _tmp.Folder("www");
        _tmp.File("www/sub/data.bin", _data);
        _tmp.File("www/empty.txt", Array.Empty<byte>());
        _tmp.File("secret.txt", Encoding.ASCII.GetBytes("SECRET outside the served folder"));
    }

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task Client_that_sends_a_name_and_a_newline_gets_exactly_the_files_bytes()
    {
        await using FileTransferListener server = await FileTransferSupport.ServerAsync(_dir);

        byte[] got = await AskAsync(server, "sub/data.bin\n");

        Assert.Equal(_data.Length, got.Length);
        Assert.True(_data.AsSpan().SequenceEqual(got));
        FileResult served = Assert.Single(await server.Sink.WaitForAsync<FileResult>());
        Assert.Equal(("sub/data.bin", FileStatus.Sent, (long)_data.Length), (served.Path, served.Status, served.Size));
    }

    [Theory]
    [InlineData("sub/data.bin\r\n")]
    [InlineData("sub/data.bin")] // ended by half-closing instead of a newline
    public async Task Name_may_end_with_CRLF_or_with_a_half_close(string request)
    {
        await using FileTransferListener server = await FileTransferSupport.ServerAsync(_dir);

        byte[] got = await AskAsync(server, request);

        Assert.True(_data.AsSpan().SequenceEqual(got));
    }

    [Fact]
    public async Task Empty_file_is_served_as_no_bytes_and_a_close()
    {
        await using FileTransferListener server = await FileTransferSupport.ServerAsync(_dir);

        Assert.Empty(await AskAsync(server, "empty.txt\n"));
        Assert.Equal(FileStatus.Sent, Assert.Single(await server.Sink.WaitForAsync<FileResult>()).Status);
    }

    [Theory]
    [InlineData("../secret.txt")]
    [InlineData("sub/../../secret.txt")]
    [InlineData("..")]
    [InlineData("CON")]
    [InlineData("")]
    [InlineData("sub\\data.bin")]
    public async Task Unsafe_name_gets_one_error_line_and_nothing_else(string name)
    {
        await using FileTransferListener server = await FileTransferSupport.ServerAsync(_dir);

        string answer = Encoding.UTF8.GetString(await AskAsync(server, name + "\n"));

        Assert.StartsWith("nsock: error: unsafe path", answer);
        Assert.EndsWith("\n", answer);
        Assert.Single(answer.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("SECRET", answer);
        FileResult refused = Assert.Single(await server.Sink.WaitForAsync<FileResult>());
        Assert.Equal((name, FileStatus.Refused), (refused.Path, refused.Status));
    }

    [Fact]
    public async Task Absolute_path_gets_an_error_line_not_the_file()
    {
        await using FileTransferListener server = await FileTransferSupport.ServerAsync(_dir);
        string absolute = Path.Combine(_tmp.Root, "secret.txt").Replace('\\', '/');

        string answer = Encoding.UTF8.GetString(await AskAsync(server, absolute + "\n"));

        Assert.StartsWith("nsock: error: ", answer);
        Assert.DoesNotContain("SECRET", answer);
    }

    [Theory]
    [InlineData("missing.txt", "no file 'missing.txt'")]
    [InlineData("sub", "no file 'sub'")] // a folder is not a file
    public async Task Name_that_is_no_file_gets_an_error_line(string name, string message)
    {
        await using FileTransferListener server = await FileTransferSupport.ServerAsync(_dir);

        string answer = Encoding.UTF8.GetString(await AskAsync(server, name + "\n"));

        Assert.Equal("nsock: error: " + message + "\n", answer);
    }

    [FileTransferLinkFact]
    public async Task Link_inside_the_folder_pointing_outside_is_not_served()
    {
        FileTransferSupport.Link(Path.Combine(_dir, "leak.txt"), Path.Combine(_tmp.Root, "secret.txt"), directory: false);
        FileTransferSupport.Link(Path.Combine(_dir, "up"), _tmp.Root, directory: true);
        await using FileTransferListener server = await FileTransferSupport.ServerAsync(_dir);

        string viaFile = Encoding.UTF8.GetString(await AskAsync(server, "leak.txt\n"));
        string viaFolder = Encoding.UTF8.GetString(await AskAsync(server, "up/secret.txt\n"));

        Assert.StartsWith("nsock: error: unsafe path 'leak.txt'", viaFile);
        Assert.StartsWith("nsock: error: unsafe path 'up/secret.txt'", viaFolder);
        Assert.DoesNotContain("SECRET", viaFile + viaFolder);
    }

    [Fact]
    public async Task Name_longer_than_4096_bytes_gets_an_error_line()
    {
        await using FileTransferListener server = await FileTransferSupport.ServerAsync(_dir);

        string answer = Encoding.UTF8.GetString(await AskAsync(server, new string('a', 5000) + "\n", readAll: true));

        Assert.StartsWith("nsock: error: ", answer);
        Assert.Contains("4096", answer);
    }

    [Fact]
    public async Task Without_keep_open_the_server_serves_one_client_and_stops()
    {
        await using FileTransferListener server = await FileTransferSupport.ServerAsync(_dir, keepOpen: false);

        Assert.Empty(await AskAsync(server, "empty.txt\n"));

        ListenerResult result = await server.FinishedAsync();
        Assert.Equal(1, result.Clients);
    }

    // Issue 14.7: open(2) of a FIFO waits for a writer; before, each request for one pinned a slot and a thread for
    // ever, so with two slots the third client was never served.
    [FileTransferUnixFact]
    public async Task Fifo_in_the_folder_is_refused_at_once_and_the_server_keeps_serving()
    {
        MakeFifo(Path.Combine(_dir, "pipe"));
        await using FileTransferListener server = await FileTransferListener.StartAsync(new ListenerOptions
        {
            Endpoint = Loopback.Tcp(0),
            Mode = ListenerMode.ServeFiles,
            FileDirectory = _dir,
            KeepOpen = true,
            MaxClients = 2,
            ClientIdleTimeout = Limits.Wait,
        });

        for (int i = 0; i < 5; i++)
        {
            string answer = Encoding.UTF8.GetString(await AskAsync(server, "pipe\n"));
            Assert.Equal("nsock: error: 'pipe' is not a regular file (it is a FIFO (named pipe))\n", answer);
        }

        byte[] good = await AskAsync(server, "sub/data.bin\n");
        Assert.True(_data.AsSpan().SequenceEqual(good));
        FileResult refused = (await server.Sink.WaitForAsync<FileResult>(6))[0];
        Assert.Equal(("pipe", FileStatus.Refused), (refused.Path, refused.Status));
    }

    [FileTransferUnixFact]
    public async Task Unix_socket_file_in_the_folder_is_refused_as_a_socket()
    {
        using var bound = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        bound.Bind(new UnixDomainSocketEndPoint(Path.Combine(_dir, "app.sock")));
        await using FileTransferListener server = await FileTransferSupport.ServerAsync(_dir);

        string answer = Encoding.UTF8.GetString(await AskAsync(server, "app.sock\n"));

        Assert.Equal("nsock: error: 'app.sock' is not a regular file (it is a socket)\n", answer);
    }

    [FileTransferUnixFact]
    public void Send_file_of_a_fifo_is_refused_by_name_before_anything_is_sent()
    {
        string fifo = Path.Combine(_dir, "pipe");
        MakeFifo(fifo);

        NsockException named = Assert.Throws<NsockException>(() => FileSelection.Expand(new[] { "pipe" }, null, _dir));
        NsockException inFolder = Assert.Throws<NsockException>(() => FileSelection.Expand(new[] { "." }, null, _dir));

        Assert.Equal(NsockErrorKind.BadInput, named.Kind);
        Assert.Contains("is not a regular file (it is a FIFO (named pipe))", named.Message);
        Assert.Contains("is not a regular file", inFolder.Message);
        Assert.Equal(2, FileSelection.Expand(new[] { "." }, new[] { "pipe" }, _dir).Count); // excluded, the rest goes
    }

    [Fact]
    public async Task Name_trickled_slower_than_the_name_limit_is_cut_off_with_a_reason()
    {
        await using FileTransferListener server = await FileTransferListener.StartAsync(new ListenerOptions
        {
            Endpoint = Loopback.Tcp(0),
            Mode = ListenerMode.ServeFiles,
            FileDirectory = _dir,
            KeepOpen = true,
            ClientIdleTimeout = Limits.Wait,
            FileHeaderTimeout = TimeSpan.FromSeconds(1),
        });
        using Socket socket = await Loopback.ConnectAsync(server.Endpoint);
        using var stop = new CancellationTokenSource(Limits.Wait);
        Task trickle = Task.Run(async () =>
        {
            try
            {
                foreach (char c in "sub/data.bin\n")
                {
                    await Task.Delay(400, stop.Token);
                    await socket.SendAsync(new[] { (byte)c }, SocketFlags.None, stop.Token);
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        });

        var got = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, stop.Token)) > 0) got.Write(buffer, 0, n);

        Assert.Equal("nsock: error: the file name did not arrive within 1s (too slow)\n", Encoding.UTF8.GetString(got.ToArray()));
        Assert.Contains("too slow", Assert.Single(await server.Sink.WaitForAsync<ClientClosed>()).Error);
        stop.Cancel();
        await trickle;
    }

    [Fact]
    public async Task Each_client_reports_its_close_with_the_bytes_it_was_sent()
    {
        await using FileTransferListener server = await FileTransferSupport.ServerAsync(_dir);

        await AskAsync(server, "sub/data.bin\n");

        ClientClosed closed = Assert.Single(await server.Sink.WaitForAsync<ClientClosed>());
        Assert.Equal(_data.Length, closed.BytesSent);
        Assert.Equal("sub/data.bin\n".Length, closed.BytesReceived);
        Assert.Null(closed.Error);
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", path)!;
        Assert.True(mkfifo.WaitForExit(10_000));
        Assert.Equal(0, mkfifo.ExitCode);
    }

    // One client: sends the request (then half-closes), reads everything to the end, bounded. A reset after
    // some bytes ends the read with what came (a server may close before it read a long request).
    private static async Task<byte[]> AskAsync(FileTransferListener server, string request, bool readAll = false)
    {
        using Socket socket = await Loopback.ConnectAsync(server.Endpoint);
        var got = new MemoryStream();
        async Task ReadAsync()
        {
            using var cts = new CancellationTokenSource(Limits.Wait);
            var buffer = new byte[64 * 1024];
            try
            {
                int n;
                while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0) got.Write(buffer, 0, n);
            }
            catch (SocketException e) when (readAll && e.SocketErrorCode == SocketError.ConnectionReset)
            {
            }
        }
        Task reading = ReadAsync();
        try
        {
            await socket.SendAllAsync(Encoding.UTF8.GetBytes(request));
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException) when (readAll)
        {
        }
        await reading.WaitAsync(Limits.Wait);
        return got.ToArray();
    }
}
