using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// Each listener mode's handler alone, over a loopback socket pair: no listener, no accept loop, just a connected
/// socket handed to the handler as the listener would hand it.
/// </summary>
public sealed class ClientHandlerTests : IDisposable
{
    private readonly RecordingSink _sink = new();
    private readonly FileTransferFolder _tmp = new("handlers");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task Echo_handler_returns_every_byte_and_half_closes_after_the_client_does()
    {
        (Socket client, Socket served) = await Loopback.SocketPairAsync();
        using (client)
        {
            byte[] data = Payload.Bytes(1 << 20, seed: 41);
            Task<ClientOutcome?> serving = new EchoHandler(new EchoOptions()).ServeAsync(served, Context(), CancellationToken.None);

            byte[] back = await client.RoundTripAsync(data);

            ClientOutcome outcome = Assert.IsType<ClientOutcome>(await serving.WaitAsync(Limits.Wait));
            Assert.Equal(Payload.Sha256(data), Payload.Sha256(back));
            Assert.Equal((data.Length, data.Length, (string?)null), (outcome.BytesReceived, outcome.BytesSent, outcome.Error));
            Assert.Null(outcome.Relay);
        }
    }

    [Fact]
    public async Task Echo_handler_drops_a_client_that_stays_silent_past_its_idle_timeout()
    {
        (Socket client, Socket served) = await Loopback.SocketPairAsync();
        using (client)
        {
            var handler = new EchoHandler(new EchoOptions { IdleTimeout = TimeSpan.FromMilliseconds(200) });

            ClientOutcome? outcome = await handler.ServeAsync(served, Context(), CancellationToken.None).WaitAsync(Limits.Wait);

            Assert.StartsWith("idle for 0.2s", outcome!.Error);
        }
    }

    [Fact]
    public async Task Echo_handler_that_is_cancelled_says_the_listener_stopped()
    {
        (Socket client, Socket served) = await Loopback.SocketPairAsync();
        using (client)
        {
            using var cts = new CancellationTokenSource();
            Task<ClientOutcome?> serving = new EchoHandler(new EchoOptions()).ServeAsync(served, Context(), cts.Token);

            cts.Cancel();

            ClientOutcome? outcome = await serving.WaitAsync(Limits.Wait);
            Assert.Equal("listener stopped", outcome!.Error);
        }
    }

    [Fact]
    public async Task Relay_handler_relays_both_ways_and_carries_the_relay_result()
    {
        (Socket client, Socket served) = await Loopback.SocketPairAsync();
        using (client)
        {
            var input = new MemoryStream(Encoding.ASCII.GetBytes("from input"));
            var output = new MemoryStream();
            var handler = new RelayHandler(input, output, new RelayOptions { IdleTimeout = null });
            Task<ClientOutcome?> serving = handler.ServeAsync(served, Context(), CancellationToken.None);

            byte[] got = await client.RoundTripAsync(Encoding.ASCII.GetBytes("from client"));

            ClientOutcome outcome = (await serving.WaitAsync(Limits.Wait))!;
            Assert.Equal("from input", Encoding.ASCII.GetString(got));
            Assert.Equal("from client", Encoding.ASCII.GetString(output.ToArray()));
            Assert.Equal((11L, 10L, (string?)null), (outcome.BytesReceived, outcome.BytesSent, outcome.Error));
            Assert.True(outcome.Relay!.Succeeded);
        }
    }

    [Fact]
    public async Task Broadcast_handler_sends_input_to_every_client_and_every_client_to_the_output()
    {
        (Socket a, Socket servedA) = await Loopback.SocketPairAsync();
        (Socket b, Socket servedB) = await Loopback.SocketPairAsync();
        var input = new BlockingInputStream();
        var output = new MemoryStream();
        using (a)
        using (b)
        {
            var handler = new BroadcastHandler(input, output);
            // Each client is a member once ServeAsync has returned its task: the input below reaches both.
            Task<ClientOutcome?> servingA = handler.ServeAsync(servedA, Context(1), CancellationToken.None);
            Task<ClientOutcome?> servingB = handler.ServeAsync(servedB, Context(2), CancellationToken.None);

            input.Add(Encoding.ASCII.GetBytes("to all"));

            Assert.Equal("to all", Encoding.ASCII.GetString(await a.ReadExactlyAsync(6)));
            Assert.Equal("to all", Encoding.ASCII.GetString(await b.ReadExactlyAsync(6)));
            await a.SendAllAsync(Encoding.ASCII.GetBytes("AAA"));
            a.Shutdown(SocketShutdown.Send);
            ClientOutcome outcomeA = (await servingA.WaitAsync(Limits.Wait))!;
            await b.SendAllAsync(Encoding.ASCII.GetBytes("BB"));
            b.Shutdown(SocketShutdown.Send);
            ClientOutcome outcomeB = (await servingB.WaitAsync(Limits.Wait))!;

            Assert.Equal("AAABB", Encoding.ASCII.GetString(output.ToArray()));
            Assert.Equal((3L, 6L), (outcomeA.BytesReceived, outcomeA.BytesSent));
            Assert.Equal((2L, 6L), (outcomeB.BytesReceived, outcomeB.BytesSent));
        }
        input.Complete();
    }

    [Fact]
    public async Task Serve_files_handler_sends_the_named_file_reports_it_as_a_file_result_and_its_bytes_in_the_outcome()
    {
        byte[] data = Payload.Bytes(300_000, seed: 42);
        _tmp.File("www/a.bin", data);
        (Socket client, Socket served) = await Loopback.SocketPairAsync();
        using (client)
        {
            var handler = new ServeFilesHandler(new ServeFilesOptions { Directory = _tmp.Folder("www") });
            Task<ClientOutcome?> serving = handler.ServeAsync(served, Context(), CancellationToken.None);

            byte[] got = await client.RoundTripAsync(Encoding.UTF8.GetBytes("a.bin\n"));

            ClientOutcome outcome = (await serving.WaitAsync(Limits.Wait))!;
            Assert.Equal((6L, (long)data.Length, (string?)null), (outcome.BytesReceived, outcome.BytesSent, outcome.Error));
            Assert.Equal(Payload.Sha256(data), Payload.Sha256(got));
            FileResult served1 = Assert.Single(_sink.Of<FileResult>());
            Assert.Equal(("a.bin", FileStatus.Sent), (served1.Path, served1.Status));
        }
    }

    [Fact]
    public async Task Receive_files_handler_shares_its_byte_limit_between_all_of_its_senders()
    {
        string file = _tmp.File("out/one.bin", Payload.Bytes(100_000, seed: 43));
        string into = _tmp.Folder("in");
        var handler = new ReceiveFilesHandler(new ReceiveFilesOptions { Directory = into, MaxBytes = 150_000 });
        using Socket listener = Loopback.ListenTcp();

        FileResult first = await SendThroughAsync(handler, listener, file, "first.bin");
        FileResult second = await SendThroughAsync(handler, listener, file, "second.bin");

        Assert.Equal(FileStatus.Sent, first.Status);
        Assert.Equal(FileStatus.Refused, second.Status); // 100,000 more would pass the 150,000 the two senders share
        Assert.True(File.Exists(Path.Combine(into, "first.bin")));
        Assert.False(File.Exists(Path.Combine(into, "second.bin")));
    }

    [Fact]
    public async Task Receive_files_handler_survives_a_sender_that_speaks_nonsense()
    {
        var handler = new ReceiveFilesHandler(new ReceiveFilesOptions { Directory = _tmp.Folder("in") });
        (Socket client, Socket served) = await Loopback.SocketPairAsync();
        using (client)
        {
            Task<ClientOutcome?> serving = handler.ServeAsync(served, Context(), CancellationToken.None);

            await client.SendAllAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n\r\n"));
            client.Shutdown(SocketShutdown.Send);

            ClientOutcome outcome = (await serving.WaitAsync(Limits.Wait))!; // ended, not thrown
            Assert.Contains("no NSFT greeting", outcome.Error);
            Assert.Empty(_sink.Of<FileResult>());
        }
    }

    [Theory]
    [InlineData(ListenerMode.Relay, false, typeof(RelayHandler), 1L, true)]
    [InlineData(ListenerMode.Relay, true, typeof(BroadcastHandler), null, false)]
    [InlineData(ListenerMode.Echo, false, typeof(EchoHandler), null, false)]
    [InlineData(ListenerMode.ReceiveFiles, false, typeof(ReceiveFilesHandler), 1L, false)]
    [InlineData(ListenerMode.ReceiveFiles, true, typeof(ReceiveFilesHandler), null, false)]
    [InlineData(ListenerMode.ServeFiles, false, typeof(ServeFilesHandler), 1L, false)]
    [InlineData(ListenerMode.ServeFiles, true, typeof(ServeFilesHandler), null, false)]
    [InlineData(ListenerMode.Broker, true, typeof(BroadcastHandler), null, false)]
    [InlineData(ListenerMode.Chat, true, typeof(ChatHandler), null, false)]
    public void Each_mode_has_its_handler_and_its_client_count(ListenerMode mode, bool keepOpen, Type handler, long? count, bool onlyClient)
    {
        var options = new ListenerOptions { Mode = mode, KeepOpen = keepOpen, FileDirectory = _tmp.Root };

        ClientServing serving = ClientHandlers.For(options, null, null, NullEventSink.Instance);

        Assert.IsType(handler, serving.Handler);
        Assert.Equal((count, onlyClient), (serving.Count, serving.OnlyClient));
    }

    [Fact]
    public void A_count_given_with_keep_open_is_kept()
    {
        var options = new ListenerOptions { Mode = ListenerMode.Echo, Count = 7 };

        Assert.Equal(7, ClientHandlers.For(options, null, null, NullEventSink.Instance).Count);
    }

    private ClientContext Context(long id = 1) => new(id, "127.0.0.1:1", _sink);

    private async Task<FileResult> SendThroughAsync(ReceiveFilesHandler handler, Socket listener, string path, string name)
    {
        using var cts = new CancellationTokenSource(Limits.Wait);
        Task<IReadOnlyList<FileResult>> sending = FileSender.SendAsync(Loopback.Tcp(listener.Port()),
            new[] { new FileToSend(path, name, new FileInfo(path).Length) }, new FileSendOptions(), new RecordingSink(), cts.Token);
        Socket served = await listener.AcceptBoundedAsync();
        Assert.Null((await handler.ServeAsync(served, Context(), cts.Token).WaitAsync(Limits.Wait))!.Error);
        return Assert.Single(await sending.WaitAsync(Limits.Wait));
    }
}
