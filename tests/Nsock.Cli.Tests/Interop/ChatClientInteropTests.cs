using System;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>
/// nsock listen --chat with the chat client of the tutorials nsock grew from (Peers/chat_client.py: one UTF-8 line
/// per message, a reader thread printing each line received): three of them in one room.
/// </summary>
public class ChatClientInteropTests
{
    [Fact]
    public async Task Three_tutorial_chat_clients_get_names_rename_see_joins_and_leaves_and_utf8_text_with_escapes_neutralised()
    {
        using RunningListener room = await Nsock.ListenAsync("127.0.0.1:0", "--chat");
        string port = room.Port.ToString();
        using ChildProcess a = Peers.Python("chat_client.py", "127.0.0.1", port);
        await a.StdOut.WaitForLineAsync(l => l == "* you are user1 (/nick NAME to change it); here: nobody else yet");
        using ChildProcess b = Peers.Python("chat_client.py", "127.0.0.1", port);
        await b.StdOut.WaitForLineAsync(l => l == "* you are user2 (/nick NAME to change it); here: user1");
        await a.StdOut.WaitForLineAsync(l => l == "* user2 joined");
        using ChildProcess c = Peers.Python("chat_client.py", "127.0.0.1", port);
        await c.StdOut.WaitForLineAsync(l => l.StartsWith("* you are user3 ", StringComparison.Ordinal) && l.Contains("user1") && l.Contains("user2"));

        // Names: /nick, announced to everyone; a taken name refused to the one who asked.
        await a.WriteStdInAsync(Encoding.UTF8.GetBytes("/nick ana\n"), close: false);
        foreach (ChildProcess p in new[] { a, b, c }) await p.StdOut.WaitForLineAsync(l => l == "* user1 is now ana");
        await b.WriteStdInAsync(Encoding.UTF8.GetBytes("/nick ana\n"), close: false);
        await b.StdOut.WaitForLineAsync(l => l == "* the name ana is taken");
        await b.WriteStdInAsync(Encoding.UTF8.GetBytes("/nick bo\n"), close: false);
        await c.StdOut.WaitForLineAsync(l => l == "* user2 is now bo");

        // UTF-8 both ways (accents, CJK, an emoji outside the BMP), to the others and not back to the sender.
        const string hello = "olá, 你好 👋 — ça va?";
        await a.WriteStdInAsync(Encoding.UTF8.GetBytes(hello + "\n"), close: false);
        Assert.Equal("<ana> " + hello, await b.StdOut.WaitForLineAsync(l => l.StartsWith("<ana>", StringComparison.Ordinal)));
        Assert.Equal("<ana> " + hello, await c.StdOut.WaitForLineAsync(l => l.StartsWith("<ana>", StringComparison.Ordinal)));

        // Terminal escapes and a bidi override from one client reach the others as harmless text.
        await c.WriteStdInAsync(Encoding.UTF8.GetBytes("\u001b[2J\u001b]0;pwned\u0007 \u202eevil\n"), close: false);
        string escaped = await a.StdOut.WaitForLineAsync(l => l.StartsWith("<user3>", StringComparison.Ordinal));
        Assert.Equal("<user3> \\x1b[2J\\x1b]0;pwned\\x07 \\u202eevil", escaped);
        Assert.DoesNotContain(a.StdOut.Text, ch => ch is '\u001b' or '\u0007' or '\u202e');

        // c leaves: the others are told; nothing c said came back to it.
        c.CloseStdIn();
        Assert.Equal(0, await c.WaitForExitAsync());
        await a.StdOut.WaitForLineAsync(l => l == "* user3 left");
        await b.StdOut.WaitForLineAsync(l => l == "* user3 left");
        Assert.DoesNotContain(c.StdOut.Lines, l => l.StartsWith("<user3>", StringComparison.Ordinal));
        Assert.Single(b.StdOut.Lines, l => l.StartsWith("<ana>", StringComparison.Ordinal));
        Assert.DoesNotContain(a.StdOut.Lines, l => l.StartsWith("<ana>", StringComparison.Ordinal));

        // The listener's --json events carry the text as sent (JSON escapes it).
        await room.Process.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"leave\"", StringComparison.Ordinal));
        Assert.Contains(room.Process.StdOut.Lines, l => l.Contains("\"event\":\"message\"", StringComparison.Ordinal) && l.Contains("\"name\":\"ana\"", StringComparison.Ordinal));
        Assert.Equal(3, room.Process.StdOut.Lines.Count(l => l.Contains("\"event\":\"join\"", StringComparison.Ordinal)));
        Assert.Equal(2, room.Process.StdOut.Lines.Count(l => l.Contains("\"event\":\"nick\"", StringComparison.Ordinal)));
    }
}
