using System;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using Nsock.Core;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>nsock conns' table: fitted to the terminal's width, marks in watch mode, others' text escaped; exit code 9.</summary>
public sealed class ConnsViewTests
{
    private static readonly SocketConnection s_v6 = new()
    {
        Protocol = Transport.Tcp,
        Family = AddressFamily.InterNetworkV6,
        LocalAddress = "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff",
        LocalPort = 65535,
        RemoteAddress = "::ffff:127.0.0.1",
        RemotePort = 40000,
        State = ConnectionState.Established,
        ReceiveQueue = 123456,
        SendQueue = 0,
        ProcessId = 4242,
        ProcessName = "a-rather-long-process-name",
    };

    private static readonly SocketConnection s_unix = new()
    {
        Protocol = Transport.Unix,
        Family = AddressFamily.Unix,
        State = ConnectionState.Listen,
        Path = "/run/evil\u001b[31mred.sock",
        Inode = 7,
    };

    [Theory]
    [InlineData(80)]
    [InlineData(60)]
    public void The_table_fits_the_terminal_and_keeps_the_ports(int width)
    {
        var output = new StringWriter();
        ConnectionsView.Write(output, new[] { s_v6, s_unix }, null, width);
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.True(l.TrimEnd('\r').Length <= width, $"{l.Length} > {width}: {l}"));
        Assert.StartsWith("Proto", lines[0]);
        Assert.Contains(":65535", lines[1]); // cut in the middle: the port stays
        Assert.Contains(":40000", lines[1]);
        Assert.Contains("123456", lines[1]);
        Assert.StartsWith("tcp6 ", lines[1]);
    }

    [Fact]
    public void Without_a_terminal_nothing_is_cut_and_others_text_is_escaped()
    {
        var output = new StringWriter();
        ConnectionsView.Write(output, new[] { s_v6, s_unix }, null, null);
        string text = output.ToString();
        Assert.Contains("[2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff]:65535", text);
        Assert.Contains("4242/a-rather-long-process-name", text);
        Assert.Contains(@"/run/evil\x1b[31mred.sock", text);
        Assert.DoesNotContain("\u001b", text);
        Assert.Contains(" - ", text.Split('\n')[2]); // no queues for Unix sockets, no owner
    }

    [Fact]
    public void A_watch_frame_marks_opened_changed_and_closed_rows()
    {
        var output = new StringWriter();
        var screen = new ConnectionsScreen(output, TimeSpan.FromSeconds(1));
        var time = DateTimeOffset.Now;
        SocketConnection gone = s_v6 with { LocalPort = 1111 };
        SocketConnection moved = s_v6 with { LocalPort = 2222, State = ConnectionState.TimeWait };
        screen.Draw(new ConnectionSweep(new[] { s_v6, moved, s_unix }, new[]
        {
            new ConnectionChange(ConnectionChangeKind.Opened, s_v6, null, time),
            new ConnectionChange(ConnectionChangeKind.State, moved, ConnectionState.Established, time),
            new ConnectionChange(ConnectionChangeKind.Closed, gone, null, time),
        }, time), 80, 24);
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("\u001b[H\u001b[2J", lines[0]);
        Assert.Contains("3 sockets, +1 -1 ~1", lines[0]);
        Assert.StartsWith("+ tcp6", lines[2]);
        Assert.StartsWith("~ tcp6", lines[3]);
        Assert.StartsWith("  unix", lines[4]);
        Assert.StartsWith("- tcp6", lines[5]);
        Assert.Contains("1111", lines[5]);
        Assert.All(lines.Skip(1), l => Assert.True(l.TrimEnd('\r').Length <= 80, l));
    }

    [Fact]
    public void Not_supported_is_its_own_exit_code()
    {
        Assert.Equal(9, ExitCodes.For(NsockErrorKind.NotSupported));
        Assert.Equal(9, ExitCodes.NotSupported);
    }
}
