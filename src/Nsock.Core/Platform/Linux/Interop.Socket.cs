using System.Runtime.InteropServices;

namespace Nsock.Core;

internal static partial class Interop
{
    internal static partial class Libc
    {
        internal const int AF_INET = 2, AF_INET6 = 10;
        internal const int SOCK_STREAM = 1, SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
        internal const int SOL_SOCKET = 1, SO_ERROR = 4, SO_LINGER = 13;

        /// <summary>Sizes of struct sockaddr_in and struct sockaddr_in6.</summary>
        internal const int SockAddrIn4Size = 16, SockAddrIn6Size = 28;

        /// <summary>struct linger.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct Linger
        {
            public int OnOff;
            public int Seconds;
        }

        // socket(2) hands its descriptor straight to a SafeHandle, so a socket is closed even when the code that
        // opened it fails before it could: by the handle's Dispose, or at worst its finalizer.
#if NET7_0_OR_GREATER
        [LibraryImport(Libraries.Libc, EntryPoint = "socket", SetLastError = true)]
        internal static partial SafeRawSocketHandle Socket(int domain, int type, int protocol);

        [LibraryImport(Libraries.Libc, EntryPoint = "connect", SetLastError = true)]
        internal static partial int Connect(SafeRawSocketHandle socket, byte[] address, int length);

        [LibraryImport(Libraries.Libc, EntryPoint = "getsockopt", SetLastError = true)]
        internal static partial int GetSockOpt(SafeRawSocketHandle socket, int level, int name, ref int value, ref int length);

        [LibraryImport(Libraries.Libc, EntryPoint = "setsockopt", SetLastError = true)]
        internal static partial int SetSockOpt(SafeRawSocketHandle socket, int level, int name, ref Linger value, int length);

        // For SafeRawSocketHandle.ReleaseHandle and LinuxSplice's pipe: everything else closes a socket by disposing its handle.
        [LibraryImport(Libraries.Libc, EntryPoint = "close", SetLastError = true)]
        internal static partial int Close(int fd);
#else
        [DllImport(Libraries.Libc, EntryPoint = "socket", SetLastError = true)]
        internal static extern SafeRawSocketHandle Socket(int domain, int type, int protocol);

        [DllImport(Libraries.Libc, EntryPoint = "connect", SetLastError = true)]
        internal static extern int Connect(SafeRawSocketHandle socket, byte[] address, int length);

        [DllImport(Libraries.Libc, EntryPoint = "getsockopt", SetLastError = true)]
        internal static extern int GetSockOpt(SafeRawSocketHandle socket, int level, int name, ref int value, ref int length);

        [DllImport(Libraries.Libc, EntryPoint = "setsockopt", SetLastError = true)]
        internal static extern int SetSockOpt(SafeRawSocketHandle socket, int level, int name, ref Linger value, int length);

        [DllImport(Libraries.Libc, EntryPoint = "close", SetLastError = true)]
        internal static extern int Close(int fd);
#endif
    }
}
