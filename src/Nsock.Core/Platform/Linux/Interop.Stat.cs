using System.Runtime.InteropServices;

namespace Nsock.Core;

internal static partial class Interop
{
    internal static partial class Libc
    {
        // open(2) flags, the same on x86-64 and arm64 (asm-generic/fcntl.h).
        internal const int O_RDONLY = 0, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;

        // statx(2): AT_FDCWD names the current folder, AT_EMPTY_PATH with "" asks about the descriptor itself.
        internal const int AT_FDCWD = -100, AT_EMPTY_PATH = 0x1000;
        internal const uint STATX_TYPE = 0x1;

        /// <summary>struct statx is the same on every Linux architecture (unlike struct stat): 256 bytes, stx_mode a u16 at 28.</summary>
        internal const int StatxSize = 256, StatxModeOffset = 28;

        internal const int S_IFMT = 0xF000, S_IFIFO = 0x1000, S_IFCHR = 0x2000, S_IFDIR = 0x4000, S_IFBLK = 0x6000, S_IFREG = 0x8000, S_IFLNK = 0xA000, S_IFSOCK = 0xC000;

        // open is variadic in C (the mode only matters with O_CREAT); passing 0 as the third argument is what every caller does.
#if NET7_0_OR_GREATER
        [LibraryImport(Libraries.Libc, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int Open(string path, int flags, int mode);

        [LibraryImport(Libraries.Libc, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static unsafe partial int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);
#else
        [DllImport(Libraries.Libc, EntryPoint = "open", SetLastError = true)]
        internal static extern int Open(string path, int flags, int mode);

        [DllImport(Libraries.Libc, EntryPoint = "statx", SetLastError = true)]
        internal static extern unsafe int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);
#endif
    }
}
