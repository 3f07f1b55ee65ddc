using System;
using System.Collections.Generic;

namespace Nsock.Core;

/// <summary>
/// Compares one look at the sockets with the last: a TCP or UDP socket is the same socket while its protocol and
/// both endpoints are (so ESTABLISHED becoming TIME_WAIT, where the kernel drops the inode, is a state change, not a
/// close and an open); a Unix socket is the same while its inode is. Sockets that share all of that (listeners on
/// one port with SO_REUSEPORT) are told apart by their order in the table.
/// </summary>
internal sealed class ConnectionWatcher
{
    private Dictionary<Key, SocketConnection>? _last;

    private readonly record struct Key(Transport Protocol, string? Local, int? LocalPort, string? Remote, int? RemotePort, long Inode, int Nth);

    /// <summary>The changes since the last look (the first: every socket, listed).</summary>
    public List<ConnectionChange> Look(IReadOnlyList<SocketConnection> now, DateTimeOffset time)
    {
        var current = new Dictionary<Key, SocketConnection>(now.Count);
        var changes = new List<ConnectionChange>();
        foreach (SocketConnection c in now)
        {
            Key key = KeyOf(c, 0);
            while (current.ContainsKey(key)) key = key with { Nth = key.Nth + 1 };
            current[key] = c;
            if (_last is null)
            {
                changes.Add(new ConnectionChange(ConnectionChangeKind.Listed, c, null, time));
            }
            else if (!_last.TryGetValue(key, out SocketConnection? before))
            {
                changes.Add(new ConnectionChange(ConnectionChangeKind.Opened, c, null, time));
            }
            else if (before.State != c.State)
            {
                changes.Add(new ConnectionChange(ConnectionChangeKind.State, c, before.State, time));
            }
        }
        if (_last is not null)
        {
            foreach (KeyValuePair<Key, SocketConnection> gone in _last)
            {
                if (!current.ContainsKey(gone.Key)) changes.Add(new ConnectionChange(ConnectionChangeKind.Closed, gone.Value, null, time));
            }
        }
        _last = current;
        return changes;
    }

    private static Key KeyOf(SocketConnection c, int nth) => c.Protocol == Transport.Unix
        ? new Key(c.Protocol, null, null, null, null, c.Inode ?? 0, nth)
        : new Key(c.Protocol, c.LocalAddress, c.LocalPort, c.RemoteAddress, c.RemotePort, 0, nth);
}
