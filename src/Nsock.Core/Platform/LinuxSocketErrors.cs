#if NET
using System;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Nsock.Core;

// A failed raw system call on a socket (sendfile, splice, poll), as the SocketException a Socket.Send or Receive
// would have thrown, so the relay and the senders classify it as they classify every other socket error.
internal static class LinuxSocketErrors
{
    public static Exception FromErrno(Interop.Errno errno, string call) => errno switch
    {
        Interop.Errno.EPIPE => new SocketException((int)SocketError.Shutdown),
        Interop.Errno.ECONNRESET => new SocketException((int)SocketError.ConnectionReset),
        Interop.Errno.ECONNABORTED => new SocketException((int)SocketError.ConnectionAborted),
        Interop.Errno.ENOTCONN => new SocketException((int)SocketError.NotConnected),
        Interop.Errno.ETIMEDOUT => new SocketException((int)SocketError.TimedOut),
        Interop.Errno.EBADF => new SocketException((int)SocketError.OperationAborted),
        _ => new IOException($"{call} failed: {Marshal.GetPInvokeErrorMessage((int)errno)}"),
    };
}
#endif
