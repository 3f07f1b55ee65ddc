using System;
using System.IO;
using System.Net.Sockets;

namespace Nsock.Core;

// Two connected stream sockets inside this process: a TLS client's decrypted bytes reach the listener's mode through
// one end while TlsBridge relays the other to the TLS stream. socketpair(2) where there is one (nothing can connect
// to it from outside) on Linux; elsewhere a Unix socket in a fresh private folder (mode 0700), removed at once.
internal static class SocketPair
{
    public static (Socket Served, Socket Bridged) Create()
    {
#if NET7_0_OR_GREATER
        return OperatingSystem.IsLinux() ? CreateLinux() : CreateInPrivateFolder();
#else
        throw new PlatformNotSupportedException("TLS listeners need .NET 8 or later");
#endif
    }

#if NET7_0_OR_GREATER
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static unsafe (Socket, Socket) CreateLinux()
    {
        int* fds = stackalloc int[2];
        if (Interop.Libc.SocketPair(Interop.Libc.AF_UNIX, Interop.Libc.SOCK_STREAM | Interop.Libc.SOCK_CLOEXEC, 0, fds) != 0)
            throw new SocketException(System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
        var a = new Socket(new SafeSocketHandle((IntPtr)fds[0], ownsHandle: true));
        var b = new Socket(new SafeSocketHandle((IntPtr)fds[1], ownsHandle: true));
        return (a, b);
    }

    private static (Socket, Socket) CreateInPrivateFolder()
    {
        DirectoryInfo dir = Directory.CreateTempSubdirectory("nsock-tls-");
        string path = Path.Combine(dir.FullName, "s");
        try
        {
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            var ep = new UnixDomainSocketEndPoint(path);
            listener.Bind(ep);
            listener.Listen(1);
            var a = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                a.Connect(ep);
                return (a, listener.Accept());
            }
            catch
            {
                a.Dispose();
                throw;
            }
        }
        finally
        {
            try { dir.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
#endif
}
