using System.Runtime.InteropServices;

namespace Nsock.Core;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const uint SPLICE_F_MOVE = 0x1, SPLICE_F_NONBLOCK = 0x2;

        // fcntl(2) commands for a pipe's capacity (linux/fcntl.h, F_LINUX_SPECIFIC_BASE 1024 + 7 and + 8).
        internal const int F_SETPIPE_SZ = 1031, F_GETPIPE_SZ = 1032;

        // fcntl(2) commands for a descriptor's status flags (O_NONBLOCK).
        internal const int F_GETFL = 3, F_SETFL = 4;

        // splice(2) through a pipe moves a forward's bytes socket to socket inside the kernel: pipe2 gives the pipe
        // (read end first), splice moves pages from a socket into it and from it into the other socket. The offsets
        // are null (sockets and pipes have none). fcntl is variadic in C; an int third argument is passed as
        // every caller passes it, as open's mode is.
#if NET7_0_OR_GREATER
        [LibraryImport(Libraries.Libc, EntryPoint = "pipe2", SetLastError = true)]
        internal static unsafe partial int Pipe2(int* fds, int flags);

        [LibraryImport(Libraries.Libc, EntryPoint = "splice", SetLastError = true)]
        internal static partial nint Splice(int fdIn, nint offIn, int fdOut, nint offOut, nuint length, uint flags);

        [LibraryImport(Libraries.Libc, EntryPoint = "fcntl", SetLastError = true)]
        internal static partial int Fcntl(int fd, int command, int argument);
#else
        [DllImport(Libraries.Libc, EntryPoint = "pipe2", SetLastError = true)]
        internal static extern unsafe int Pipe2(int* fds, int flags);

        [DllImport(Libraries.Libc, EntryPoint = "splice", SetLastError = true)]
        internal static extern nint Splice(int fdIn, nint offIn, int fdOut, nint offOut, nuint length, uint flags);

        [DllImport(Libraries.Libc, EntryPoint = "fcntl", SetLastError = true)]
        internal static extern int Fcntl(int fd, int command, int argument);
#endif
    }
}
