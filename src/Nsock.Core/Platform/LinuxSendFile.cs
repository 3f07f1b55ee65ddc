#if NET
using System;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Nsock.Core;

// sendfile(2) called directly, on the thread that sends. Socket.SendPacketsAsync does the same system call but
// puts the socket in .NET's event loop: every time the socket buffer fills, the send parks there and resumes on
// a thread-pool thread, which was 10,000-20,000 context switches per GiB on loopback. Here a full buffer means
// one poll(2) on this thread. Cancellation closes the socket, which .NET turns into a shutdown that wakes the
// poll; the poll also looks at the handle every half second in case it does not.
internal static class LinuxSendFile
{
    private const int EINTR = 4, EAGAIN = 11, EBADF = 9, EPIPE = 32, ECONNRESET = 104, ENOTCONN = 107, ETIMEDOUT = 110, ECONNABORTED = 103,
        EINVAL = 22, ENOSYS = 38, EOPNOTSUPP = 95;
    private const long MaxPerCall = 0x7ffff000; // what Linux moves per call at most
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
                long want = count < 0 ? MaxPerCall : Math.Min(count - sent, MaxPerCall);
                nint n = sendfile(to, from, ref offset, (nuint)want);
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
                int errno = Marshal.GetLastPInvokeError();
                if (errno == EINTR) continue;
                if (errno is EINVAL or ENOSYS or EOPNOTSUPP && sent == 0) return -1;
                if (errno != EAGAIN) throw Fail(errno);
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
            var p = new LinuxPoll.PollFd { Fd = fd, Events = LinuxPoll.POLLOUT };
            int slice = (int)Math.Min(PollSliceMs, Math.Max(1, limit - waited));
            int ready = LinuxPoll.Poll(ref p, 1, slice);
            if (ready > 0) return; // writable, or an error that the next sendfile reports
            if (ready < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno != EINTR) throw Fail(errno);
            }
            if (handle.IsClosed) throw new SocketException((int)SocketError.OperationAborted);
            waited += slice;
            if (waited >= limit) throw new SocketException((int)SocketError.TimedOut);
        }
    }

    // Socket errors as the SocketError codes the rest of nsock classifies; anything else (a read error on the
    // file, say) as an IOException with the system's own words.
    private static Exception Fail(int errno) => errno switch
    {
        EPIPE => new SocketException((int)SocketError.Shutdown),
        ECONNRESET => new SocketException((int)SocketError.ConnectionReset),
        ECONNABORTED => new SocketException((int)SocketError.ConnectionAborted),
        ENOTCONN => new SocketException((int)SocketError.NotConnected),
        ETIMEDOUT => new SocketException((int)SocketError.TimedOut),
        EBADF => new SocketException((int)SocketError.OperationAborted),
        _ => new IOException($"sendfile failed: {Marshal.GetPInvokeErrorMessage(errno)}"),
    };


    [DllImport("libc", SetLastError = true)]
    private static extern nint sendfile(int outFd, int inFd, ref long offset, nuint count);

}
#endif
