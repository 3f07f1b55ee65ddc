using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Nsock.Core;

/// <summary>The sockets of this machine that pass a filter, from the system's own tables: Linux and Windows so far.</summary>
internal static class ConnectionTable
{
    public static List<SocketConnection> Read(ConnectionFilter filter, IOptionNames names)
    {
#if NET
        if (System.OperatingSystem.IsLinux()) return LinuxConnectionTable.Read(filter);
        if (System.OperatingSystem.IsWindows()) return WindowsConnectionTable.Read(filter);
#else
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return LinuxConnectionTable.Read(filter);
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return WindowsConnectionTable.Read(filter);
#endif
        // macOS and the BSDs keep their tables behind sysctl(net.inet.tcp.pcblist) and libproc; not read yet, and never
        // guessed at from another tool's output.
        throw new NsockException(NsockErrorKind.NotSupported,
            $"{names.Verb(NsockVerb.Connections)} is not supported on {RuntimeInformation.OSDescription} yet: it reads Linux's /proc/net and Windows' IP Helper tables (use lsof -i or netstat here)");
    }
}
