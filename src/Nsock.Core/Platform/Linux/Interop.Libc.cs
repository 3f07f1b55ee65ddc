using System.Runtime.InteropServices;
#if NET
using System.Runtime.Versioning;
#endif

namespace Nsock.Core;

// The Linux system calls nsock makes itself, declared the way dotnet/runtime declares its own
// (src/libraries/Common/src/Interop/Unix): one partial class per native library, one file per group of calls
// (Interop.Poll.cs, Interop.SendFile.cs, Interop.Socket.cs), failures read as an Errno.
//
// Each call is declared twice under one #if: [LibraryImport] on .NET, where the marshalling is generated at compile
// time (nothing left for the AOT compiler to build or warn about), [DllImport] on netstandard2.0, which has no
// generator. The callers are .NET-only today; netstandard2.0 compiles the same class so that stays a caller's choice.
// Either way the library is "libc", the name nsock's AOT build binds directly (DirectPInvoke in Nsock.Cli.csproj):
// a new spelling ("libc.so.6") would bring back dlopen probing at the first call.
//
// [SupportedOSPlatform("linux")] makes the platform-compatibility analyzer (CA1416, an error here) demand that every
// caller is itself Linux-only or guarded by OperatingSystem.IsLinux().
internal static partial class Interop
{
    internal static class Libraries
    {
        internal const string Libc = "libc";
    }

#if NET
    [SupportedOSPlatform("linux")]
#endif
    internal static partial class Libc
    {
        /// <summary>The errno the last call declared with SetLastError left behind.</summary>
        internal static Errno GetLastErrno() =>
#if NET
            (Errno)Marshal.GetLastPInvokeError();
#else
            (Errno)Marshal.GetLastWin32Error();
#endif
    }
}
