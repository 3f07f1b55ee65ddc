using System.Runtime.InteropServices;

namespace Nsock.Core;

internal static partial class Interop
{
    internal static partial class Libc
    {
        /// <summary>Linux moves at most this many bytes per sendfile(2) call.</summary>
        internal const long SendFileMaxCount = 0x7ffff000;

        // Raw descriptors, not SafeHandles: the socket and the file belong to a Socket and a FileStream, and the caller
        // holds a reference on both handles for the whole transfer. Closing the socket meanwhile then shuts it down
        // (.NET defers the close(2) while the handle is in use), which the next call reports as EPIPE; a SafeHandle
        // parameter would instead throw ObjectDisposedException from the marshalling, before any call.
#if NET7_0_OR_GREATER
        [LibraryImport(Libraries.Libc, EntryPoint = "sendfile", SetLastError = true)]
        internal static partial nint SendFile(int outFd, int inFd, ref long offset, nuint count);
#else
        [DllImport(Libraries.Libc, EntryPoint = "sendfile", SetLastError = true)]
        internal static extern nint SendFile(int outFd, int inFd, ref long offset, nuint count);
#endif
    }
}
