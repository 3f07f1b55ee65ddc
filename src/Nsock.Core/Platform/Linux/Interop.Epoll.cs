using System.Runtime.InteropServices;

namespace Nsock.Core;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int EPOLL_CLOEXEC = 0x80000;
        internal const int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2;
        internal const uint EPOLLIN = 0x1, EPOLLOUT = 0x4, EPOLLERR = 0x8, EPOLLHUP = 0x10, EPOLLRDHUP = 0x2000, EPOLLONESHOT = 1u << 30;

        // struct epoll_event is { uint32_t events; uint64_t data; }, packed on x86 and x86-64 (12 bytes, data at 4)
        // and naturally aligned elsewhere (16 bytes, data at 8): callers pass raw memory laid out by EpollEventLayout.
#if NET7_0_OR_GREATER
        [LibraryImport(Libraries.Libc, EntryPoint = "epoll_create1", SetLastError = true)]
        internal static partial int EpollCreate1(int flags);

        [LibraryImport(Libraries.Libc, EntryPoint = "epoll_ctl", SetLastError = true)]
        internal static unsafe partial int EpollCtl(int epfd, int op, int fd, byte* ev);

        [LibraryImport(Libraries.Libc, EntryPoint = "epoll_wait", SetLastError = true)]
        internal static unsafe partial int EpollWait(int epfd, byte* events, int maxEvents, int timeoutMs);
#else
        [DllImport(Libraries.Libc, EntryPoint = "epoll_create1", SetLastError = true)]
        internal static extern int EpollCreate1(int flags);

        [DllImport(Libraries.Libc, EntryPoint = "epoll_ctl", SetLastError = true)]
        internal static extern unsafe int EpollCtl(int epfd, int op, int fd, byte* ev);

        [DllImport(Libraries.Libc, EntryPoint = "epoll_wait", SetLastError = true)]
        internal static extern unsafe int EpollWait(int epfd, byte* events, int maxEvents, int timeoutMs);
#endif
    }
}
