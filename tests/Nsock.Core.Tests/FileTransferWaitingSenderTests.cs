using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>Tests that count the process's threads run alone: another test's threads would blur the count.</summary>
[CollectionDefinition(nameof(ThreadCounting), DisableParallelization = true)]
public sealed class ThreadCounting
{
}

/// <summary>
/// Senders that connect and say nothing yet (issue 17, "10,000 clients"): on Linux --receive-files waits for their
/// greeting in one shared epoll waiter instead of a thread each, and otherwise ends them exactly as before: cut off
/// by the greeting deadline with the same error, stopped with the listener, served whole when they greet late.
/// </summary>
[Collection(nameof(ThreadCounting))]
public sealed class FileTransferWaitingSenderTests : IDisposable
{
    private readonly FileTransferFolder _tmp = new("waiting");
    private readonly string _dir;

    public FileTransferWaitingSenderTests() => _dir = _tmp.Folder("recv");

    public void Dispose() => _tmp.Dispose();

    private Task<FileTransferListener> ReceiverAsync(TimeSpan header, TimeSpan? idle = null) =>
        FileTransferListener.StartAsync(new ListenerOptions
        {
            Endpoint = Loopback.Tcp(0),
            Mode = ListenerMode.ReceiveFiles,
            FileDirectory = _dir,
            KeepOpen = true,
            MaxClients = 1000,
            ClientIdleTimeout = idle ?? TimeSpan.FromMinutes(10),
            FileHeaderTimeout = header,
        });

    private static byte[] Greeting => new byte[] { (byte)'N', (byte)'S', (byte)'F', (byte)'T', 2, 0 };

    // Connects `count` senders that say nothing, and waits until the listener took all of them (`connectedBefore` others already).
    private static async Task<List<Socket>> ConnectSilentAsync(FileTransferListener listener, int count, int connectedBefore = 0)
    {
        var sockets = new List<Socket>();
        for (int i = 0; i < count; i++) sockets.Add(await Loopback.ConnectAsync(listener.Endpoint));
        await listener.Sink.WaitForAsync<ClientConnected>(connectedBefore + count);
        return sockets;
    }

    [LinuxFact]
    public async Task Two_hundred_silent_senders_add_no_thread_each_and_are_cut_off_by_the_greeting_deadline()
    {
        const int Senders = 200;
        await using FileTransferListener listener = await ReceiverAsync(header: TimeSpan.FromSeconds(5));
        // One served sender first, so that the waiter's thread and the pool's usual threads already exist.
        using (FileProtocolClient first = await FileProtocolClient.ConnectAsync(listener.Endpoint)) await first.EndAsync();
        await listener.Sink.WaitForAsync<ClientClosed>();
        int before = Process.GetCurrentProcess().Threads.Count;

        List<Socket> sockets = await ConnectSilentAsync(listener, Senders, connectedBefore: 1);
        int during = Process.GetCurrentProcess().Threads.Count;
        try
        {
            // A thread per sender (the path before the waiter) would be 200 more; the pool may grow by a few.
            Assert.True(during - before < Senders / 4, $"{during - before} threads more with {Senders} silent senders waiting");
            IReadOnlyList<ClientClosed> closed = await listener.Sink.WaitForAsync<ClientClosed>(Senders + 1);
            Assert.All(closed.Skip(1), c => Assert.Equal("the greeting did not arrive within 5s (too slow)", c.Error));
            Assert.All(closed.Skip(1), c => Assert.Equal(0, c.BytesReceived));
            foreach (Socket s in sockets) Assert.True(await SessionEndedAsync(s), "a silent sender was not cut off");
        }
        finally
        {
            foreach (Socket s in sockets) s.Dispose();
        }
    }

    [Fact]
    public async Task A_silent_sender_is_cut_off_by_the_silence_limit_when_it_comes_before_the_greeting_deadline()
    {
        // The wait for the greeting is bounded as the first read would be: by the sooner of the two limits, whose error it ends with.
        await using FileTransferListener listener = await ReceiverAsync(header: TimeSpan.FromSeconds(30), idle: TimeSpan.FromSeconds(1));
        using Socket s = await Loopback.ConnectAsync(listener.Endpoint);

        Assert.True(await SessionEndedAsync(s), "the receiver still held a sender that never greeted");
        ClientClosed closed = Assert.Single(await listener.Sink.WaitForAsync<ClientClosed>());
        Assert.Equal("the peer sent nothing for 1s", closed.Error);
    }

    [Fact]
    public async Task A_sender_that_greets_after_some_silence_is_served_and_its_file_arrives_whole()
    {
        await using FileTransferListener listener = await ReceiverAsync(header: TimeSpan.FromSeconds(20));
        using FileProtocolClient client = await FileProtocolClient.ConnectRawAsync(listener.Endpoint);
        await listener.Sink.WaitForAsync<ClientConnected>();
        await Task.Delay(500); // silent for a while, within the deadline: the receiver is waiting for the greeting

        await client.SendAsync(Greeting);
        byte[] hello = await client.Socket.ReadExactlyAsync(6);
        Assert.Equal(Greeting, hello);
        byte[] content = FileTransferSupport.Bytes(3_000_000, 17);
        (FileAnswer answer, FileAnswer? verdict) = await client.SendFileAsync("late.bin", content);
        await client.EndAsync();

        Assert.Equal('A', answer.Code);
        Assert.Equal('V', verdict?.Code);
        Assert.Equal(FileTransferSupport.Sha256(content), FileTransferSupport.Sha256OfFile(Path.Combine(_dir, "late.bin")));
        ClientClosed closed = Assert.Single(await listener.Sink.WaitForAsync<ClientClosed>());
        Assert.Null(closed.Error);
    }

    [Fact]
    public async Task Stopping_the_listener_ends_the_senders_waiting_for_their_greeting()
    {
        const int Senders = 20;
        FileTransferListener listener = await ReceiverAsync(header: TimeSpan.FromMinutes(10));
        List<Socket> sockets = await ConnectSilentAsync(listener, Senders);
        try
        {
            // Bounded by Limits.Wait (30 s) against a 10-minute deadline: it throws if the waiting senders hold it up.
            await listener.DisposeAsync();

            IReadOnlyList<ClientClosed> closed = await listener.Sink.WaitForAsync<ClientClosed>(Senders);
            Assert.All(closed, c => Assert.Equal("listener stopped", c.Error));
            foreach (Socket s in sockets) Assert.True(await SessionEndedAsync(s), "a waiting sender was left open after the listener stopped");
        }
        finally
        {
            foreach (Socket s in sockets) s.Dispose();
        }
    }

    [Fact]
    public async Task A_sender_that_closes_without_a_byte_ends_cleanly_and_the_next_is_served()
    {
        await using FileTransferListener listener = await ReceiverAsync(header: TimeSpan.FromMinutes(10));
        using (Socket s = await Loopback.ConnectAsync(listener.Endpoint))
        {
            await listener.Sink.WaitForAsync<ClientConnected>();
            s.Shutdown(SocketShutdown.Send);
            Assert.True(await SessionEndedAsync(s), "the receiver kept a sender that hung up");
        }
        ClientClosed closed = Assert.Single(await listener.Sink.WaitForAsync<ClientClosed>());
        Assert.Equal("the peer closed the connection in the middle of the greeting", closed.Error);

        using FileProtocolClient next = await FileProtocolClient.ConnectAsync(listener.Endpoint);
        byte[] content = FileTransferSupport.Bytes(10_000, 18);
        Assert.Equal('V', (await next.SendFileAsync("next.bin", content)).Verdict?.Code);
        await next.EndAsync();
    }

    private static async Task<bool> SessionEndedAsync(Socket socket)
    {
        using var cts = new System.Threading.CancellationTokenSource(Limits.Wait);
        try
        {
            return await socket.ReceiveAsync(new byte[1], SocketFlags.None, cts.Token) == 0;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
