using System;
using System.Collections.Generic;
using System.IO;
#if NET
using System.Runtime.Versioning;
#endif

namespace Nsock.Core;

/// <summary>
/// The sockets of a Linux machine from <c>/proc/net/{tcp,tcp6,udp,udp6,unix}</c> (the tables <c>netstat</c> reads;
/// <c>ss</c> asks NETLINK_SOCK_DIAG for the same), with owners from <see cref="LinuxSocketOwners"/>. The tables are
/// this process's network namespace. A table is read line by line while the kernel writes it, so a socket opened or
/// closed during the read may be missed or seen twice, as with netstat.
/// </summary>
#if NET
[SupportedOSPlatform("linux")]
#endif
internal static class LinuxConnectionTable
{
    public static List<SocketConnection> Read(ConnectionFilter filter)
    {
        var kept = new List<SocketConnection>();
        if (filter.Tcp)
        {
            ReadInet("/proc/net/tcp", Transport.Tcp, filter, kept);
            ReadInet("/proc/net/tcp6", Transport.Tcp, filter, kept);
        }
        if (filter.Udp)
        {
            ReadInet("/proc/net/udp", Transport.Udp, filter, kept);
            ReadInet("/proc/net/udp6", Transport.Udp, filter, kept);
        }
        if (filter.Unix) ReadUnix(filter, kept);
        return WithOwners(kept, filter);
    }

    private static void ReadInet(string table, Transport protocol, ConnectionFilter filter, List<SocketConnection> kept)
    {
        foreach (string line in Lines(table))
        {
            if (ProcNetParser.TryParseInet(line, protocol, out SocketConnection c) && filter.Matches(c)) kept.Add(c);
        }
    }

    private static void ReadUnix(ConnectionFilter filter, List<SocketConnection> kept)
    {
        foreach (string line in Lines("/proc/net/unix"))
        {
            if (ProcNetParser.TryParseUnix(line, out SocketConnection c) && filter.Matches(c)) kept.Add(c);
        }
    }

    // A table that is not there (IPv6 disabled, no Unix sockets compiled in) has no sockets.
    private static IEnumerable<string> Lines(string table)
    {
        StreamReader reader;
        try
        {
            reader = new StreamReader(new FileStream(table, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            yield break;
        }
        using (reader)
        {
            while (reader.ReadLine() is string line) yield return line;
        }
    }

    // Owners only for the sockets kept (a process's inodes are looked up, never every socket's); with a process
    // filter, only those processes' descriptors are read. A socket is listed once: the kernel writes /proc/net/tcp a
    // page at a time, and a socket that moves between its tables meanwhile (a connection leaving the accept queue) can
    // be in two pages; one inode is one socket (a held connection was once listed twice in a full test run).
    internal static List<SocketConnection> WithOwners(List<SocketConnection> kept, ConnectionFilter filter)
    {
        var seen = new HashSet<long>();
        kept = kept.FindAll(c => c.Inode is not long inode || inode == 0 || seen.Add(inode));
        var inodes = new HashSet<long>();
        foreach (SocketConnection c in kept)
        {
            if (c.Inode is long inode && inode != 0) inodes.Add(inode);
        }
        Dictionary<long, LinuxSocketOwners.Owner> owners = LinuxSocketOwners.Find(inodes, filter.ProcessIds);
        var result = new List<SocketConnection>(kept.Count);
        foreach (SocketConnection c in kept)
        {
            SocketConnection owned = c.Inode is long inode && owners.TryGetValue(inode, out LinuxSocketOwners.Owner o)
                ? c with { ProcessId = o.ProcessId, ProcessName = o.Name }
                : c;
            if (filter.MatchesOwner(owned)) result.Add(owned);
        }
        return result;
    }
}
