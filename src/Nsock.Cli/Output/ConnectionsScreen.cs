using System;
using System.Collections.Generic;
using System.IO;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary>
/// <c>nsock conns --watch</c> on a terminal: the table redrawn in place after every look, with a mark per row:
/// + opened, ~ changed state, - closed (shown once, then gone).
/// </summary>
internal sealed class ConnectionsScreen
{
    private readonly TextWriter _out;
    private readonly TimeSpan _interval;

    public ConnectionsScreen(TextWriter output, TimeSpan interval)
    {
        _out = output;
        _interval = interval;
    }

    public void Draw(ConnectionSweep sweep, int? width, int? height)
    {
        var marks = new Dictionary<SocketConnection, char>(ReferenceEqualityComparer.Instance);
        var closed = new List<SocketConnection>();
        int opened = 0, changed = 0;
        foreach (ConnectionChange change in sweep.Changes)
        {
            switch (change.Change)
            {
                case ConnectionChangeKind.Opened:
                    marks[change.Connection] = '+';
                    opened++;
                    break;
                case ConnectionChangeKind.State:
                    marks[change.Connection] = '~';
                    changed++;
                    break;
                case ConnectionChangeKind.Closed:
                    closed.Add(change.Connection);
                    break;
            }
        }
        var rows = new List<SocketConnection>(sweep.Current.Count + closed.Count);
        var rowMarks = new List<char>(rows.Capacity);
        foreach (SocketConnection c in sweep.Current)
        {
            rows.Add(c);
            rowMarks.Add(marks.TryGetValue(c, out char m) ? m : ' ');
        }
        foreach (SocketConnection c in closed)
        {
            rows.Add(c);
            rowMarks.Add('-');
        }
        // Home, clear the screen, then the whole frame: one write per look.
        _out.Write("\u001b[H\u001b[2J");
        _out.WriteLine($"nsock conns every {_interval.TotalSeconds:0.###}s at {sweep.Time:HH:mm:ss}: {sweep.Current.Count} sockets, +{opened} -{closed.Count} ~{changed} (Ctrl+C ends)");
        ConnectionsView.Write(_out, rows, rowMarks, width, height is int h ? Math.Max(1, h - 3) : null);
        _out.Flush();
    }
}
