using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Nsock.Core;

// Files nsock reads because a peer named them (--serve), or because they lie in a folder being sent or resumed,
// are opened so that open(2) can never block: open of a FIFO waits for a writer forever (one FIFO in a --serve
// folder pinned a slot and a thread per request, so 100 requests wedged the server). On Linux the file is opened
// with O_NONBLOCK (a FIFO then opens at once) and its type is read from the open descriptor (statx, whose layout
// is the same on every architecture), so nothing swapped in between a check and the open slips through: anything
// but a regular file (a FIFO, a device, a socket) is refused. Elsewhere .NET opens it as before: Windows has no
// FIFOs in folders (named pipes live under \\.\pipe\, which the name rules refuse); macOS has no check yet.
internal static class RegularFile
{
    /// <summary>What <paramref name="path"/> is when it is neither a regular file nor a folder ("a FIFO", "a socket", …); null when it is one of those, is missing, or the platform does not tell.</summary>
    public static string? OtherKind(string path)
    {
#if NET
        if (!OperatingSystem.IsLinux()) return null;
        return KindOf(StatxMode(Interop.Libc.AT_FDCWD, path, 0));
#else
        return null;
#endif
    }

    /// <summary>
    /// Opens <paramref name="path"/> for reading, never blocking in open: a file that is not regular throws
    /// <see cref="NsockException"/> (BadInput) "'<paramref name="shown"/>' is not a regular file (it is a FIFO)"; other failures
    /// throw as <see cref="FileStream"/> does (IOException, UnauthorizedAccessException).
    /// </summary>
    public static FileStream OpenRead(string path, string shown, FileOptions options = FileOptions.None)
    {
#if NET
        if (OperatingSystem.IsLinux()) return OpenLinux(path, shown);
#endif
        if (OtherKind(path) is string kind) throw NotRegular(shown, kind);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, options);
    }

    public static NsockException NotRegular(string shown, string kind) =>
        NsockException.BadInput($"'{shown}' is not a regular file (it is {kind})");

#if NET
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static FileStream OpenLinux(string path, string shown)
    {
        int fd = Interop.Libc.Open(path, Interop.Libc.O_RDONLY | Interop.Libc.O_NONBLOCK | Interop.Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            Interop.Errno errno = Interop.Libc.GetLastErrno();
            // A Unix socket file cannot be opened at all (ENXIO): say what it is rather than "no such device".
            if (OtherKind(path) is string other) throw NotRegular(shown, other);
            string why = Marshal.GetPInvokeErrorMessage((int)errno);
            throw errno switch
            {
                Interop.Errno.ENOENT or Interop.Errno.ENOTDIR => new FileNotFoundException($"'{shown}': {why}"),
                Interop.Errno.EACCES => new UnauthorizedAccessException($"'{shown}': {why}"),
                _ => new IOException($"'{shown}': {why}", (int)errno),
            };
        }
        var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
        try
        {
            int mode = StatxMode(fd, "", Interop.Libc.AT_EMPTY_PATH);
            if (mode >= 0 && (mode & Interop.Libc.S_IFMT) != Interop.Libc.S_IFREG)
                throw (mode & Interop.Libc.S_IFMT) == Interop.Libc.S_IFDIR ? new UnauthorizedAccessException($"'{shown}' is a folder") : NotRegular(shown, KindOf(mode) ?? "not a file");
            // O_NONBLOCK changes nothing for a regular file's reads (nor for sendfile(2) from it).
            return new FileStream(handle, FileAccess.Read, 1, isAsync: false);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    // stx_mode of the file, or -1 when statx is missing or fails (a kernel before 4.11, a sandbox that blocks it,
    // the file vanished): the caller then goes on as if it were a regular file, as before this check existed.
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static unsafe int StatxMode(int dirFd, string path, int flags)
    {
        byte* buffer = stackalloc byte[Interop.Libc.StatxSize];
        try
        {
            if (Interop.Libc.Statx(dirFd, path, flags, Interop.Libc.STATX_TYPE, buffer) != 0) return -1;
        }
        catch (EntryPointNotFoundException)
        {
            return -1;
        }
        return *(ushort*)(buffer + Interop.Libc.StatxModeOffset);
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static string? KindOf(int mode) => mode < 0 ? null : (mode & Interop.Libc.S_IFMT) switch
    {
        Interop.Libc.S_IFREG or Interop.Libc.S_IFDIR => null,
        Interop.Libc.S_IFIFO => "a FIFO (named pipe)",
        Interop.Libc.S_IFSOCK => "a socket",
        Interop.Libc.S_IFCHR => "a character device",
        Interop.Libc.S_IFBLK => "a block device",
        Interop.Libc.S_IFLNK => "a symbolic link",
        _ => "not a regular file",
    };
#endif
}
