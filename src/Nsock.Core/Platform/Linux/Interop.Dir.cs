using System.Runtime.InteropServices;

namespace Nsock.Core;

internal static partial class Interop
{
    internal static partial class Libc
    {
        // opendir(3)/readdir(3) for /proc/PID/fd: Directory.EnumerateFileSystemEntries stats and lstats every entry
        // (two system calls per descriptor, which are links), which made nsock conns spend twice the system calls of
        // ss -p on the same machine. Only the names are needed here.
        //
        // struct dirent (readdir, not readdir64): d_ino and d_off are longs, then d_reclen (2 bytes) and d_type (1),
        // then d_name: at byte 19 on 64-bit Linux (glibc and musl), 11 on 32-bit glibc.
        internal static readonly int DirentNameOffset = 2 * System.IntPtr.Size + 3;

#if NET7_0_OR_GREATER
        [LibraryImport(Libraries.Libc, EntryPoint = "opendir", SetLastError = true)]
        internal static unsafe partial nint OpenDir(byte* path);

        [LibraryImport(Libraries.Libc, EntryPoint = "readdir")]
        internal static partial nint ReadDir(nint dir);

        [LibraryImport(Libraries.Libc, EntryPoint = "closedir")]
        internal static partial int CloseDir(nint dir);
#else
        [DllImport(Libraries.Libc, EntryPoint = "opendir", SetLastError = true)]
        internal static extern unsafe nint OpenDir(byte* path);

        [DllImport(Libraries.Libc, EntryPoint = "readdir")]
        internal static extern nint ReadDir(nint dir);

        [DllImport(Libraries.Libc, EntryPoint = "closedir")]
        internal static extern int CloseDir(nint dir);
#endif
    }
}
