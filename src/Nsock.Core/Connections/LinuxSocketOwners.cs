using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
#if NET
using System.Runtime.Versioning;
#endif

namespace Nsock.Core;

/// <summary>
/// Which process holds each socket, as <c>ss -p</c> and <c>lsof</c> find out: every descriptor of every process
/// (<c>/proc/PID/fd/N</c>) is a link, and a socket's reads <c>socket:[INODE]</c>. Another user's descriptors cannot be
/// read unless this process runs as root (or with CAP_SYS_PTRACE); their sockets keep a null owner.
/// </summary>
#if NET
[SupportedOSPlatform("linux")]
#endif
internal static class LinuxSocketOwners
{
    /// <summary>A process, as <c>/proc</c> names it.</summary>
    internal readonly record struct Owner(int ProcessId, string? Name);

    /// <summary>
    /// The first owner found of each of <paramref name="inodes"/>, looking only at <paramref name="processIds"/> when
    /// given; stops as soon as every inode has one.
    /// </summary>
    public static Dictionary<long, Owner> Find(HashSet<long> inodes, IReadOnlyCollection<int>? processIds)
    {
        var owners = new Dictionary<long, Owner>();
        if (inodes.Count == 0) return owners;
        foreach (int pid in processIds ?? AllProcesses())
        {
            string? name = null;
            bool named = false;
            foreach (long inode in SocketInodes(pid))
            {
                if (!inodes.Contains(inode) || owners.ContainsKey(inode)) continue;
                if (!named)
                {
                    name = Comm(pid);
                    named = true;
                }
                owners[inode] = new Owner(pid, name);
            }
            if (owners.Count == inodes.Count) break;
        }
        return owners;
    }

    private static IEnumerable<int> AllProcesses()
    {
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            // Only the numbered entries are processes (threads are not listed at the top, so each is looked at once).
            int slash = dir.LastIndexOf('/');
            if (int.TryParse(dir.Substring(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) yield return pid;
        }
    }

    // The inodes of the sockets among a process's descriptors; none when it is gone or not ours to read. The path
    // /proc/PID/fd/N is built in one buffer, the descriptor's number written after the fixed prefix for each link.
    private static unsafe List<long> SocketInodes(int pid)
    {
        var found = new List<long>();
        byte* path = stackalloc byte[PathSize];
        int prefix = Ascii(path, 0, "/proc/");
        prefix = Ascii(path, prefix, pid.ToString(CultureInfo.InvariantCulture));
        prefix = Ascii(path, prefix, "/fd");
        path[prefix] = 0;
        nint dir = Interop.Libc.OpenDir(path);
        if (dir == 0) return found; // EACCES: another user's process (run as root to see it); ENOENT: it ended
        try
        {
            path[prefix++] = (byte)'/';
            int nameOffset = Interop.Libc.DirentNameOffset;
            nint entry;
            while ((entry = Interop.Libc.ReadDir(dir)) != 0)
            {
                byte* name = (byte*)entry + nameOffset;
                int at = prefix;
                for (int i = 0; name[i] != 0 && at < PathSize - 1; i++) path[at++] = name[i];
                if (name[0] == (byte)'.') continue; // . and ..
                path[at] = 0;
                if (ReadSocketInode(path) is long inode) found.Add(inode);
            }
        }
        finally
        {
            Interop.Libc.CloseDir(dir);
        }
        return found;
    }

    private const int PathSize = 64;

    private static unsafe int Ascii(byte* buffer, int at, string text)
    {
        foreach (char c in text) buffer[at++] = (byte)c;
        return at;
    }

    private const string SocketPrefix = "socket:[";

    // readlink(2) of /proc/PID/fd/N: "socket:[12345]" for a socket, anything else (a file, a pipe) is not one.
    private static unsafe long? ReadSocketInode(byte* path)
    {
        const int Size = 64;
        byte* link = stackalloc byte[Size];
        long n = Interop.Libc.ReadLink(path, link, Size);
        if (n <= SocketPrefix.Length || n >= Size || link[n - 1] != (byte)']') return null;
        for (int i = 0; i < SocketPrefix.Length; i++)
        {
            if (link[i] != (byte)SocketPrefix[i]) return null;
        }
        long inode = 0;
        for (long i = SocketPrefix.Length; i < n - 1; i++)
        {
            byte b = link[i];
            if (b < (byte)'0' || b > (byte)'9') return null;
            inode = inode * 10 + (b - '0');
        }
        return inode;
    }

    private static string? Comm(int pid)
    {
        try
        {
            return File.ReadAllText("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/comm").TrimEnd('\n');
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return null;
        }
    }
}
