using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary>
/// The sockets as a table like <c>ss -tanp</c>: Proto, Local, Remote, State, Recv-Q, Send-Q, Process (pid/name, - when
/// this user cannot see it). On a terminal the table fits its width (down to about 60 columns): the process column
/// gives way first, then the addresses, cut in the middle so the port stays. Paths and process names are escaped (others choose them).
/// </summary>
internal static class ConnectionsView
{
    private static readonly string[] s_headers = { "Proto", "Local", "Remote", "State", "Recv-Q", "Send-Q", "Process" };
    private const int Proto = 0, Local = 1, Remote = 2, State = 3, RecvQ = 4, SendQ = 5, Process = 6;

    /// <summary>Writes the table; <paramref name="marks"/> (when given) is a first column, one character per row.</summary>
    public static void Write(TextWriter output, IReadOnlyList<SocketConnection> rows, IReadOnlyList<char>? marks, int? width, int? maxRows = null)
    {
        var cells = new List<string[]>(rows.Count);
        foreach (SocketConnection c in rows) cells.Add(Cells(c));
        int[] widths = new int[s_headers.Length];
        for (int i = 0; i < widths.Length; i++) widths[i] = s_headers[i].Length;
        foreach (string[] row in cells)
        {
            for (int i = 0; i < row.Length; i++) widths[i] = Math.Max(widths[i], row[i].Length);
        }
        if (width is int w) Fit(widths, w - (marks is null ? 0 : 2));
        WriteRow(output, s_headers, widths, marks is null ? null : ' ');
        int shown = maxRows is int m ? Math.Min(m, cells.Count) : cells.Count;
        for (int r = 0; r < shown; r++) WriteRow(output, cells[r], widths, marks?[r]);
        if (shown < cells.Count) output.WriteLine($"... {cells.Count - shown} more");
    }

    public static string StateText(ConnectionState state) => state.ToString();

    private static string[] Cells(SocketConnection c) => new[]
    {
        c.Protocol.ToText() + (c.Family == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "6" : ""),
        c.Protocol == Transport.Unix ? (c.Path is null ? "*" : NsockText.Printable(c.Path)) : Endpoint(c.LocalAddress, c.LocalPort),
        c.Protocol == Transport.Unix ? "*" : Endpoint(c.RemoteAddress, c.RemotePort),
        StateText(c.State),
        Number(c.ReceiveQueue),
        Number(c.SendQueue),
        c.ProcessId is int pid ? pid.ToString(CultureInfo.InvariantCulture) + "/" + NsockText.Printable(c.ProcessName ?? "?") : "-",
    };

    private static string Endpoint(string? address, int? port)
    {
        string host = address is null ? "*" : address.IndexOf(':') >= 0 ? "[" + address + "]" : address;
        return host + ":" + (port is int p && p != 0 ? p.ToString(CultureInfo.InvariantCulture) : "*");
    }

    private static string Number(long? n) => n is long v ? v.ToString(CultureInfo.InvariantCulture) : "-";

    // Columns are separated by one space. The process column gives way first (to 8), then the two addresses (to 12
    // each), then both again (process to 3, addresses to 6) on a very narrow terminal.
    private static void Fit(int[] widths, int available)
    {
        int over = widths.Length - 1 - available;
        foreach (int x in widths) over += x;
        foreach ((int process, int address) in new[] { (8, 12), (3, 6) })
        {
            int give = Math.Min(Math.Max(0, over), Math.Max(0, widths[Process] - process));
            widths[Process] -= give;
            over -= give;
            while (over > 0 && (widths[Local] > address || widths[Remote] > address))
            {
                int wider = widths[Local] >= widths[Remote] ? Local : Remote;
                widths[wider]--;
                over--;
            }
        }
    }

    private static void WriteRow(TextWriter output, string[] cells, int[] widths, char? mark)
    {
        if (mark is char m)
        {
            output.Write(m);
            output.Write(' ');
        }
        for (int i = 0; i < cells.Length; i++)
        {
            string cell = Cut(cells[i], widths[i]);
            bool number = i == RecvQ || i == SendQ;
            if (i == cells.Length - 1)
            {
                output.Write(cell);
                break;
            }
            output.Write(number ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]));
            output.Write(' ');
        }
        output.WriteLine();
    }

    // Too long: a third from the start, the rest from the end, an ellipsis between (an address keeps its port, a path
    // its file name).
    private static string Cut(string text, int width)
    {
        if (text.Length <= width) return text;
        if (width <= 1) return text.Substring(0, Math.Max(0, width));
        int head = (width - 1) / 3, tail = width - 1 - head;
        return text.Substring(0, head) + "…" + text.Substring(text.Length - tail);
    }
}
