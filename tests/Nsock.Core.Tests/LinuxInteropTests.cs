using System;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

// The declarations in src/Nsock.Core/Platform/Linux against the real kernel: the numbers in Errno and the structs,
// and SetLastError carried through the generated marshalling. The probe and sendfile tests cover the callers.
[SupportedOSPlatform("linux")]
public class LinuxInteropTests
{
    [LinuxFact]
    public void A_raw_connect_to_a_port_nobody_listens_on_reports_ECONNREFUSED()
    {
        // Bound and never listening: the kernel refuses a connect to it, and the port stays ours while the test runs.
        using var target = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        target.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using SafeRawSocketHandle socket = OpenNonBlocking();
        byte[] address = SockAddrIn(IPAddress.Loopback, ((IPEndPoint)target.LocalEndPoint!).Port);

        int rc = Interop.Libc.Connect(socket, address, address.Length);
        Interop.Errno connectErrno = rc == 0 ? Interop.Errno.SUCCESS : Interop.Libc.GetLastErrno();
        Interop.Errno outcome = connectErrno;
        if (connectErrno == Interop.Errno.EINPROGRESS)
        {
            var fds = new[] { new Interop.Libc.PollFd { Fd = socket.Fd, Events = Interop.Libc.PollEvents.POLLOUT } };
            Assert.Equal(1, Interop.Libc.Poll(fds, 5000));
            Assert.NotEqual(Interop.Libc.PollEvents.None, fds[0].Revents & (Interop.Libc.PollEvents.POLLERR | Interop.Libc.PollEvents.POLLHUP));
            int error = 0, length = sizeof(int);
            Assert.Equal(0, Interop.Libc.GetSockOpt(socket, Interop.Libc.SOL_SOCKET, Interop.Libc.SO_ERROR, ref error, ref length));
            outcome = (Interop.Errno)error;
        }

        Assert.Equal(Interop.Errno.ECONNREFUSED, outcome);
    }

    [LinuxFact]
    public void A_disposed_raw_socket_is_never_handed_to_the_kernel_again()
    {
        SafeRawSocketHandle socket = OpenNonBlocking();
        byte[] address = SockAddrIn(IPAddress.Loopback, 9);

        socket.Dispose();

        // Its descriptor number may belong to another file by now: the marshalling refuses before any call.
        Assert.True(socket.IsClosed);
        Assert.Throws<ObjectDisposedException>(() => Interop.Libc.Connect(socket, address, address.Length));
    }

    private static SafeRawSocketHandle OpenNonBlocking()
    {
        SafeRawSocketHandle socket = Interop.Libc.Socket(Interop.Libc.AF_INET,
            Interop.Libc.SOCK_STREAM | Interop.Libc.SOCK_NONBLOCK | Interop.Libc.SOCK_CLOEXEC, 0);
        Assert.False(socket.IsInvalid, "socket(2) failed: " + Interop.Libc.GetLastErrno());
        return socket;
    }

    // struct sockaddr_in: family (host order), port and address (network order), zero padding.
    private static byte[] SockAddrIn(IPAddress address, int port)
    {
        var bytes = new byte[Interop.Libc.SockAddrIn4Size];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 2), (ushort)Interop.Libc.AF_INET);
        bytes[2] = (byte)(port >> 8);
        bytes[3] = (byte)port;
        address.TryWriteBytes(bytes.AsSpan(4, 4), out _);
        return bytes;
    }
}
