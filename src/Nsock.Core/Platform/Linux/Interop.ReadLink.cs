using System.Runtime.InteropServices;

namespace Nsock.Core;

internal static partial class Interop
{
    internal static partial class Libc
    {
        // readlink(2) straight into a caller's buffer: nsock conns reads one link per open descriptor of every
        // process (tens of thousands on a busy machine), where FileSystemInfo.LinkTarget would allocate an object
        // and a string for each.
#if NET7_0_OR_GREATER
        [LibraryImport(Libraries.Libc, EntryPoint = "readlink", SetLastError = true)]
        internal static unsafe partial nint ReadLink(byte* path, byte* buffer, nuint size);
#else
        [DllImport(Libraries.Libc, EntryPoint = "readlink", SetLastError = true)]
        internal static extern unsafe nint ReadLink(byte* path, byte* buffer, nuint size);
#endif
    }
}
