#if NET
using System;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Nsock.Core;

// sendfile(2) called directly, on the thread that sends. Socket.SendPacketsAsync does the same system call but
// puts the socket in .NET's event loop: every time the socket buffer fills, the send parks there and resumes on
// a thread-pool thread, which was 10,000-20,000 context switches per GiB on loopback. Here a full buffer means
// one poll(2) on this thread. Cancellation closes the socket, which .NET turns into a shutdown that wakes the
// poll; the poll also looks at the handle every half second in case it does not.
[SupportedOSPlatform("linux")]
internal static class LinuxSendFile
{
    private const int PollSliceMs = 500;

    /// <summary>
    /// Sends <paramref name="count"/> bytes of <paramref name="file"/> from <paramref name="offset"/>, or with
    /// <paramref name="count"/> -1 everything to the file's end; returns the bytes sent. A file that ends before
    /// <paramref name="count"/> is an IOException. <paramref name="stall"/> bounds a wait for the peer to take
    /// more (zero or less: no bound). Returns -1, having sent nothing, when this file or socket cannot be used
    /// with sendfile (some file systems): the caller copies instead.
    /// </summary>
    public static long Send(Socket socket, SafeFileHandle file, long offset, long count, TimeSpan stall)
    {
        SafeSocketHandle socketHandle = socket.SafeHandle;
        bool socketRef = false, fileRef = false;
        long sent = 0;
        try
        {
            socketHandle.DangerousAddRef(ref socketRef);
            file.DangerousAddRef(ref fileRef);
            int to = (int)socketHandle.DangerousGetHandle();
            int from = (int)file.DangerousGetHandle();
            while (count < 0 || sent < count)
            {
                long want = count < 0 ? Interop.Libc.SendFileMaxCount : Math.Min(count - sent, Interop.Libc.SendFileMaxCount);
                nint n = Interop.Libc.SendFile(to, from, ref offset, (nuint)want);
                if (n > 0)
                {
                    sent += n;
                    continue;
                }
                if (n == 0)
                {
                    if (count < 0) return sent;
                    throw new IOException($"the file ended {count - sent} bytes early: it shrank while being sent");
                }
                Interop.Errno errno = Interop.Libc.GetLastErrno();
                if (errno == Interop.Errno.EINTR) continue;
                if (errno is Interop.Errno.EINVAL or Interop.Errno.ENOSYS or Interop.Errno.EOPNOTSUPP && sent == 0) return -1;
                if (errno != Interop.Errno.EAGAIN) throw Fail(errno);
                WaitWritable(to, socketHandle, stall);
            }
            return sent;
        }
        finally
        {
            if (fileRef) file.DangerousRelease();
            if (socketRef) socketHandle.DangerousRelease();
        }
    }

    // The socket is non-blocking once .NET has run an async operation on it (connect, say): wait here until
    // its send buffer has room.
    private static void WaitWritable(int fd, SafeSocketHandle handle, TimeSpan stall)
    {
        long waited = 0;
        long limit = stall > TimeSpan.Zero ? (long)stall.TotalMilliseconds : long.MaxValue;
        while (true)
        {
            var p = new Interop.Libc.PollFd { Fd = fd, Events = Interop.Libc.PollEvents.POLLOUT };
            int slice = (int)Math.Min(PollSliceMs, Math.Max(1, limit - waited));
            int ready = Interop.Libc.Poll(new Span<Interop.Libc.PollFd>(ref p), slice);
            if (ready > 0) return; // writable, or an error that the next sendfile reports
            if (ready < 0)
            {
                Interop.Errno errno = Interop.Libc.GetLastErrno();
                if (errno != Interop.Errno.EINTR) throw Fail(errno);
            }
            if (handle.IsClosed) throw new SocketException((int)SocketError.OperationAborted);
            waited += slice;
            if (waited >= limit) throw new SocketException((int)SocketError.TimedOut);
        }
    }

    // Socket errors as the SocketError codes the rest of nsock classifies; anything else (a read error on the file,
    // say) as an IOException with the system's own words.
    private static Exception Fail(Interop.Errno errno) => LinuxSocketErrors.FromErrno(errno, "sendfile");
}
#endif
