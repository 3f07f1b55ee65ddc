using System.Runtime.InteropServices;

namespace Nsock.Core;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>recv(2) flags: read the socket's error queue (with IP_RECVERR); do not block.</summary>
        internal const int MSG_DONTWAIT = 0x40, MSG_ERRQUEUE = 0x2000;

        // A raw descriptor: the caller holds a reference on the socket's handle for the call (see UdpIcmpErrors).
#if NET7_0_OR_GREATER
        [LibraryImport(Libraries.Libc, EntryPoint = "recv", SetLastError = true)]
        internal static unsafe partial nint Recv(int socket, byte* buffer, nuint length, int flags);
#else
        [DllImport(Libraries.Libc, EntryPoint = "recv", SetLastError = true)]
        internal static extern unsafe nint Recv(int socket, byte* buffer, nuint length, int flags);
#endif
    }
}
