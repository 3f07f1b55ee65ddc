#if NET
using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Threading;

namespace Nsock.Core;

// One direction of a forward moved socket to socket with splice(2) through a pipe: the bytes go from the first
// socket's receive queue into the pipe and from the pipe into the second socket's send queue as page references,
// never copied into nsock's memory (socat and the copy relay read into a buffer and write it out again).
//
// The sockets are used non-blocking (the relay sets them so before any pump starts): a splice that finds nothing to
// read or no room to write returns EAGAIN and the thread waits in poll(2), looking every quarter second at the
// relay's stop flag. Closing either socket (the relay's end, cancellation) makes .NET wait for this thread's reference and
// meanwhile disconnect the socket, which wakes the poll: the other socket is polled too, for that hang-up. The pipe
// belongs to this object and is closed by Dispose, on every path.
[SupportedOSPlatform("linux")]
internal sealed class LinuxSplice : IDisposable
{
    /// <summary>The pipe's capacity asked for: a splice moves up to this much (Linux's default pipe-max-size).</summary>
    public const int PipeSize = 1024 * 1024;

    private const int PollSliceMs = 250;
    private const int ShortSliceMs = 50; // once the other socket is no longer watched, the relay's end is noticed by looking
    private const uint Flags = Interop.Libc.SPLICE_F_MOVE | Interop.Libc.SPLICE_F_NONBLOCK;

    private static long s_directions;

    private int _readFd;
    private int _writeFd;
    private readonly int _capacity;

    private LinuxSplice(int readFd, int writeFd, int capacity)
    {
        _readFd = readFd;
        _writeFd = writeFd;
        _capacity = capacity;
    }

    /// <summary>Directions that moved (or reached their end) by splice since start: how tests see the path was taken.</summary>
    internal static long Directions => Interlocked.Read(ref s_directions);

    /// <summary>A new pipe, or null when none can be had (out of descriptors): the caller copies instead.</summary>
    public static unsafe LinuxSplice? TryOpen()
    {
        int* fds = stackalloc int[2];
        if (Interop.Libc.Pipe2(fds, Interop.Libc.O_CLOEXEC | Interop.Libc.O_NONBLOCK) != 0) return null;
        // A bigger pipe means fewer system calls per GiB; an unprivileged user past pipe-user-pages-soft keeps the
        // default 64 KiB, which still works.
        int capacity = Interop.Libc.Fcntl(fds[1], Interop.Libc.F_SETPIPE_SZ, PipeSize);
        if (capacity <= 0) capacity = Interop.Libc.Fcntl(fds[1], Interop.Libc.F_GETPIPE_SZ, 0);
        return new LinuxSplice(fds[0], fds[1], capacity > 0 ? capacity : 64 * 1024);
    }

    /// <summary>
    /// Puts the socket in non-blocking mode, for splice: a splice from a socket blocks or not by the socket's own
    /// O_NONBLOCK, and .NET leaves a socket blocking at the system's level until it has run an async operation on it
    /// (Socket.Blocking = false only changes how .NET's own calls behave).
    /// </summary>
    public static void MakeNonBlocking(Socket socket)
    {
        socket.Blocking = false;
        int fd = (int)socket.Handle;
        int flags = Interop.Libc.Fcntl(fd, Interop.Libc.F_GETFL, 0);
        if (flags < 0 || Interop.Libc.Fcntl(fd, Interop.Libc.F_SETFL, flags | Interop.Libc.O_NONBLOCK) < 0)
        {
            throw Fail(Interop.Libc.GetLastErrno());
        }
    }

    /// <summary>
    /// Moves everything <paramref name="from"/> sends to <paramref name="to"/> until <paramref name="from"/>'s end of
    /// stream, adding each piece written to <paramref name="moved"/> and stamping <paramref name="lastActivity"/>.
    /// <paramref name="writing"/> tells, when this throws, which side failed. <paramref name="stall"/> (more than
    /// zero) bounds a wait for <paramref name="to"/> to take more. Failures are SocketExceptions as a Send or
    /// Receive would throw.
    /// </summary>
    public void Move(Socket from, Socket to, ref long moved, ref long lastActivity, ref bool writing, TimeSpan stall, ref int stop)
    {
        SafeSocketHandle fromHandle = from.SafeHandle, toHandle = to.SafeHandle;
        bool fromRef = false, toRef = false;
        try
        {
            fromHandle.DangerousAddRef(ref fromRef);
            toHandle.DangerousAddRef(ref toRef);
            int f = (int)fromHandle.DangerousGetHandle(), t = (int)toHandle.DangerousGetHandle();
            bool counted = false;
            while (true)
            {
                Volatile.Write(ref writing, false);
                nint n = Interop.Libc.Splice(f, 0, _writeFd, 0, (nuint)_capacity, Flags);
                if (n < 0)
                {
                    Interop.Errno errno = Interop.Libc.GetLastErrno();
                    if (errno == Interop.Errno.EINTR) continue;
                    if (errno != Interop.Errno.EAGAIN) throw Fail(errno);
                    Wait(f, Interop.Libc.PollEvents.POLLIN, t, fromHandle, toHandle, TimeSpan.Zero, ref stop);
                    continue;
                }
                if (!counted)
                {
                    counted = true;
                    Interlocked.Increment(ref s_directions);
                }
                if (n == 0) return; // end of stream, and the pipe is empty: each piece is written out before the next read
                Volatile.Write(ref writing, true);
                long left = n;
                while (left > 0)
                {
                    nint m = Interop.Libc.Splice(_readFd, 0, t, 0, (nuint)left, Flags);
                    if (m > 0)
                    {
                        left -= m;
                        Interlocked.Add(ref moved, m);
                        Volatile.Write(ref lastActivity, Stopwatch.GetTimestamp());
                        continue;
                    }
                    Interop.Errno errno = m == 0 ? Interop.Errno.EPIPE : Interop.Libc.GetLastErrno();
                    if (errno == Interop.Errno.EINTR) continue;
                    if (errno != Interop.Errno.EAGAIN) throw Fail(errno);
                    Wait(t, Interop.Libc.PollEvents.POLLOUT, f, fromHandle, toHandle, stall, ref stop);
                }
            }
        }
        finally
        {
            if (toRef) toHandle.DangerousRelease();
            if (fromRef) fromHandle.DangerousRelease();
        }
    }

    // Waits until fd is ready for events. The other socket is watched for a hang-up or error, which is how the
    // relay's end reaches this thread: .NET disconnects a socket it is asked to close while this thread holds it (and
    // its handle does not show closed until released), and the relay raises stop first. A hang-up or error that is
    // not the end (a reset the other pump reports, both halves of the other socket closed while this one drains) is
    // then left alone, so as not to spin, and stop is looked at every 50 ms instead. Gives up on stop, or after stall
    // (more than zero) without room.
    private static void Wait(int fd, Interop.Libc.PollEvents events, int other, SafeSocketHandle a, SafeSocketHandle b, TimeSpan stall, ref int stop)
    {
        Span<Interop.Libc.PollFd> fds = stackalloc Interop.Libc.PollFd[2];
        bool watchOther = true;
        long waited = 0;
        long limit = stall > TimeSpan.Zero ? (long)Math.Ceiling(stall.TotalMilliseconds) : long.MaxValue;
        while (true)
        {
            fds[0] = new Interop.Libc.PollFd { Fd = fd, Events = events };
            fds[1] = new Interop.Libc.PollFd { Fd = other, Events = Interop.Libc.PollEvents.None };
            int slice = (int)Math.Min(watchOther ? PollSliceMs : ShortSliceMs, Math.Max(1, limit - waited));
            int ready = Interop.Libc.Poll(watchOther ? fds : fds.Slice(0, 1), slice);
            if (ready < 0)
            {
                Interop.Errno errno = Interop.Libc.GetLastErrno();
                if (errno != Interop.Errno.EINTR) throw Fail(errno);
                continue;
            }
            if (Volatile.Read(ref stop) != 0 || a.IsClosed || b.IsClosed) throw new SocketException((int)SocketError.OperationAborted);
            if (ready > 0)
            {
                if (fds[0].Revents != Interop.Libc.PollEvents.None) return; // ready, or an error the next splice reports
                watchOther = false;
                continue;
            }
            waited += slice;
            if (waited >= limit) throw new SocketException((int)SocketError.TimedOut);
        }
    }

    private static Exception Fail(Interop.Errno errno) => LinuxSocketErrors.FromErrno(errno, "splice");

    public void Dispose()
    {
        int r = Interlocked.Exchange(ref _readFd, -1), w = Interlocked.Exchange(ref _writeFd, -1);
        if (r >= 0) Interop.Libc.Close(r);
        if (w >= 0) Interop.Libc.Close(w);
    }
}
#endif
