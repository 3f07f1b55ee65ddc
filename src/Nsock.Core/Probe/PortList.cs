using System;
using System.Collections.Generic;
using System.Globalization;

namespace Nsock.Core;

/// <summary>Parses port lists such as <c>22,80,443,8000-8100</c> (order kept, duplicates dropped).</summary>
public static class PortList
{
    /// <summary>The ports of <paramref name="text"/>; fails with <see cref="NsockErrorKind.BadInput"/> naming the bad piece.</summary>
    public static IReadOnlyList<int> Parse(string text)
    {
        var ports = new List<int>();
        var seen = new HashSet<int>();
        if (string.IsNullOrWhiteSpace(text)) throw NsockException.BadInput("port list is empty");
        foreach (string raw in text.Split(','))
        {
            string piece = raw.Trim();
            if (piece.Length == 0) throw NsockException.BadInput($"port list '{text}' has an empty entry");
            int dash = piece.IndexOf('-');
            int from = One(dash < 0 ? piece : piece.Substring(0, dash), piece);
            int to = dash < 0 ? from : One(piece.Substring(dash + 1), piece);
            if (to < from) throw NsockException.BadInput($"port range '{piece}' runs backwards");
            for (int p = from; p <= to; p++)
            {
                if (seen.Add(p)) ports.Add(p);
            }
        }
        return ports;
    }

    private static int One(string s, string piece)
    {
        s = s.Trim();
        if (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || s.Length > 5)
            throw NsockException.BadInput($"'{s}' in '{piece}' is not a port number");
        if (port < 1 || port > 65535) throw NsockException.BadInput($"port {port} in '{piece}' is out of range (1-65535)");
        return port;
    }
}
