using System.Runtime.InteropServices;

namespace Nsock.Core;

internal static partial class Interop
{
    internal static partial class Libc
    {
        // AF_UNIX and SOCK_STREAM are 1 on Linux and macOS alike.
        internal const int AF_UNIX = 1;

#if NET7_0_OR_GREATER
        [LibraryImport(Libraries.Libc, EntryPoint = "socketpair", SetLastError = true)]
        internal static unsafe partial int SocketPair(int domain, int type, int protocol, int* fds);
#endif
    }
}
