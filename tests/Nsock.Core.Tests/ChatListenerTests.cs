using System;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

// ncat --chat: named clients, "<name> text" lines to the others, joins/leaves/renames announced, text made harmless.
public class ChatListenerTests
{
    private static ListenerOptions Chat() => new() { Endpoint = Loopback.Tcp(0), Mode = ListenerMode.Chat, KeepOpen = true };

    [Fact]
    public async Task Chat_names_clients_relays_lines_to_the_others_and_announces_joins_renames_and_leaves()
    {
        var output = new MemoryStream();
        await using RunningListener server = await RunningListener.StartAsync(Chat(), null, Stream.Synchronized(output));
        using LineClient a = await LineClient.ConnectAsync(server.Endpoint);
        Assert.StartsWith("* you are user1 ", await a.ReadLineAsync());
        using LineClient b = await LineClient.ConnectAsync(server.Endpoint);
        Assert.Equal("* you are user2 (/nick NAME to change it); here: user1", await b.ReadLineAsync());
        Assert.Equal("* user2 joined", await a.ReadLineAsync());

        await a.SayAsync("/nick alice");
        Assert.Equal("* user1 is now alice", await a.ReadLineAsync());
        Assert.Equal("* user1 is now alice", await b.ReadLineAsync());
        await a.SayAsync("grüße, bob");
        Assert.Equal("<alice> grüße, bob", await b.ReadLineAsync());
        await b.SayAsync("/nick Alice");
        Assert.Equal("* the name Alice is taken", await b.ReadLineAsync());
        await b.SayAsync("/nick user1");
        Assert.Equal("* the name user1 is taken", await b.ReadLineAsync());
        await b.SayAsync("hi\r");
        // alice's next line is bob's: her own line never came back to her, and the CR was the line's end.
        Assert.Equal("<user2> hi", await a.ReadLineAsync());

        b.Dispose();
        Assert.Equal("* user2 left", await a.ReadLineAsync());

        ChatMessage said = (await server.Sink.WaitForAsync<ChatMessage>(2)).First();
        Assert.Equal(new ChatMessage(1, "alice", "grüße, bob"), said);
        Assert.Equal("alice", server.Sink.Of<ChatRenamed>().Single().Name);
        Assert.Equal(2, server.Sink.Of<ChatJoined>().Count);
        ChatLeft left = (await server.Sink.WaitForAsync<ChatLeft>()).Single();
        Assert.Equal(new ChatLeft(2, "user2", null), left);
        string room = Encoding.UTF8.GetString(output.ToArray());
        Assert.Contains("<alice> grüße, bob\n", room);
        Assert.Contains("* user2 left\n", room);
    }

    [Fact]
    public async Task Chat_escapes_control_characters_so_no_client_sends_terminal_escapes_or_forged_lines_to_the_others()
    {
        await using RunningListener server = await RunningListener.StartAsync(Chat(), null, null);
        using LineClient a = await LineClient.ConnectAsync(server.Endpoint);
        await a.ReadLineAsync();
        using LineClient b = await LineClient.ConnectAsync(server.Endpoint);
        await b.ReadLineAsync();
        await a.ReadLineAsync();

        await a.Socket.SendAllAsync(Encoding.UTF8.GetBytes("\u001b[2J\u001b]0;pwned\u0007 \rfake\u202e ok\n"));
        string line = await b.ReadLineAsync();
        Assert.Equal("<user1> \\x1b[2J\\x1b]0;pwned\\x07 \\rfake\\u202e ok", line);
        Assert.DoesNotContain(line, ch => ch < 0x20 || ch == 0x7f);
    }

    [Fact]
    public async Task Chat_survives_a_10_MB_line_without_a_newline_and_a_thousand_joins()
    {
        await using RunningListener server = await RunningListener.StartAsync(Chat(), null, null);
        using LineClient watcher = await LineClient.ConnectAsync(server.Endpoint);
        await watcher.ReadLineAsync();
        using LineClient hostile = await LineClient.ConnectAsync(server.Endpoint);
        await hostile.ReadLineAsync();
        await watcher.ReadLineAsync();

        byte[] huge = new byte[10 * 1024 * 1024];
        Array.Fill(huge, (byte)'A');
        await hostile.Socket.SendAllAsync(huge);
        await hostile.SayAsync("");
        Assert.StartsWith("* your line was longer than 8192 bytes", await hostile.ReadLineAsync());
        string cut = await watcher.ReadLineAsync();
        Assert.Equal("<user2> " + new string('A', ChatHandler.MaxLineBytes), cut);

        for (int i = 0; i < 1000; i++)
        {
            using Socket s = await Loopback.ConnectAsync(server.Endpoint);
        }
        await server.Sink.WaitForAsync<ChatLeft>(1000);
        await hostile.SayAsync("still here");
        Assert.Equal("<user2> still here", await watcher.ReadUntilAsync(l => l.StartsWith('<')));
        Assert.Equal(1002, server.Sink.Of<ChatJoined>().Count);
    }

    [Fact]
    public async Task Chat_says_the_listener_input_as_server()
    {
        using var input = new BlockingInputStream();
        await using RunningListener server = await RunningListener.StartAsync(Chat(), input, null);
        using LineClient a = await LineClient.ConnectAsync(server.Endpoint);
        await a.ReadLineAsync();
        input.Add(Encoding.UTF8.GetBytes("maintenance at noon\n"));
        Assert.Equal("<server> maintenance at noon", await a.ReadLineAsync());
        await a.SayAsync("/nick server");
        Assert.Equal("* the name server is taken", await a.ReadLineAsync());
        input.Complete();
    }
}
