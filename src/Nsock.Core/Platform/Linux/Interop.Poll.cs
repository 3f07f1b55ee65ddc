using System;
using System.Runtime.InteropServices;

namespace Nsock.Core;

internal static partial class Interop
{
    internal static partial class Libc
    {
        [Flags]
        internal enum PollEvents : short
        {
            None = 0,
            POLLOUT = 0x4,
            POLLERR = 0x8,
            POLLHUP = 0x10,
            POLLIN = 0x1,
            POLLNVAL = 0x20,
        }

        /// <summary>struct pollfd.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct PollFd
        {
            public int Fd;
            public PollEvents Events;
            public PollEvents Revents;
        }

        /// <summary>poll(2) over every entry of <paramref name="fds"/>: the number ready, 0 on timeout, -1 and errno.</summary>
        internal static unsafe int Poll(Span<PollFd> fds, int timeoutMs)
        {
            fixed (PollFd* first = fds)
            {
                return Poll(first, (nuint)fds.Length, timeoutMs);
            }
        }

#if NET7_0_OR_GREATER
        [LibraryImport(Libraries.Libc, EntryPoint = "poll", SetLastError = true)]
        private static unsafe partial int Poll(PollFd* fds, nuint count, int timeoutMs);
#else
        [DllImport(Libraries.Libc, EntryPoint = "poll", SetLastError = true)]
        private static extern unsafe int Poll(PollFd* fds, nuint count, int timeoutMs);
#endif
    }
}
