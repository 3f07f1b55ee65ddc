using System.Runtime.InteropServices;
#if NET
using System.Runtime.Versioning;
#endif

namespace Nsock.Core;

// Windows' IP Helper tables of TCP and UDP endpoints with their owning process (what netstat -ano and
// Get-NetTCPConnection read). Built for Windows, not run here: nsock's tests run on Linux.
internal static partial class Interop
{
#if NET
    [SupportedOSPlatform("windows")]
#endif
    internal static partial class IpHlpApi
    {
        internal const string Library = "iphlpapi.dll";

        internal const uint AF_INET = 2, AF_INET6 = 23;

        /// <summary>TCP_TABLE_OWNER_PID_ALL: every TCP endpoint, listeners included, with its process id.</summary>
        internal const int TcpTableOwnerPidAll = 5;

        /// <summary>UDP_TABLE_OWNER_PID.</summary>
        internal const int UdpTableOwnerPid = 1;

        internal const uint NoError = 0, ErrorInsufficientBuffer = 122;

        // The tables are read from the byte buffer field by field (WindowsConnectionTable), so the signatures are
        // blittable and need no marshalling on either target.
#if NET7_0_OR_GREATER
        [LibraryImport(Library, EntryPoint = "GetExtendedTcpTable")]
        internal static unsafe partial uint GetExtendedTcpTable(byte* table, ref uint size, int order, uint family, int tableClass, uint reserved);

        [LibraryImport(Library, EntryPoint = "GetExtendedUdpTable")]
        internal static unsafe partial uint GetExtendedUdpTable(byte* table, ref uint size, int order, uint family, int tableClass, uint reserved);
#else
        [DllImport(Library, EntryPoint = "GetExtendedTcpTable")]
        internal static extern unsafe uint GetExtendedTcpTable(byte* table, ref uint size, int order, uint family, int tableClass, uint reserved);

        [DllImport(Library, EntryPoint = "GetExtendedUdpTable")]
        internal static extern unsafe uint GetExtendedUdpTable(byte* table, ref uint size, int order, uint family, int tableClass, uint reserved);
#endif
    }
}
