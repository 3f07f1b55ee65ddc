#if NET
using System;
using System.Collections.Generic;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// Waits until sockets have something to read, all of them on one thread (epoll(7)), so a client that connected
// and says nothing yet costs a few hundred bytes instead of the thread a blocking loop would hold from the start
// (receive-files: 10,000 silent senders were 10,000 threads). It also waits for a connect in progress to finish
// (writable), for the sockets LinuxConnect opens outside .NET's event loop. Each wait registers the descriptor once
// (EPOLLONESHOT) and removes it (EPOLL_CTL_DEL) before it completes, so nothing stays registered after a wait.
//
// The socket is never touched through .NET's async API: the first async call on a socket moves it into .NET's
// event loop for good (non-blocking at the OS level, its blocking calls emulated), which made the blocking file
// path behind the wait slower (0.55 s to 0.66-1.01 s per 512 MiB). epoll_ctl only reads the descriptor.
//
// While registered the wait holds a reference on the socket's SafeHandle (as LinuxSplice does), so the
// descriptor cannot be closed and its number reused under the registration: a Dispose meanwhile makes .NET
// disconnect the socket, which this thread sees as a hang-up, ending the wait and releasing the reference.
// A limit is a Timer per wait; cancellation a token registration. Whichever of the event, the limit or
// the cancellation comes first ends the wait (Waiter.Finish, once). epoll_ctl works on a running epoll_wait,
// so the thread never needs waking; it and the epoll descriptor live as long as the process.
[SupportedOSPlatform("linux")]
internal sealed class LinuxReadiness
{
    private const int MaxEvents = 64;
    private const uint Readable = Interop.Libc.EPOLLIN | Interop.Libc.EPOLLRDHUP | Interop.Libc.EPOLLONESHOT;
    private const uint Writable = Interop.Libc.EPOLLOUT | Interop.Libc.EPOLLONESHOT;

    // struct epoll_event is packed on x86 and x86-64 (Interop.Epoll.cs).
    private static readonly bool s_packed = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86;
    private static readonly int s_eventSize = s_packed ? 12 : 16;
    private static readonly int s_dataOffset = s_packed ? 4 : 8;

    private static readonly object s_createGate = new();
    private static LinuxReadiness? s_shared;
    private static bool s_unavailable;

    private readonly int _epoll;
    private readonly object _gate = new();
    private readonly Dictionary<ulong, Waiter> _waiters = new();
    private ulong _lastId;

    private LinuxReadiness(int epoll)
    {
        _epoll = epoll;
        new Thread(Run) { IsBackground = true, Name = "nsock readiness" }.Start();
    }

    /// <summary>The process's waiter, started at the first call; null when epoll cannot be had (the caller then does without).</summary>
    public static LinuxReadiness? Shared
    {
        get
        {
            lock (s_createGate)
            {
                if (s_shared is null && !s_unavailable)
                {
                    int epoll = Interop.Libc.EpollCreate1(Interop.Libc.EPOLL_CLOEXEC);
                    if (epoll < 0) s_unavailable = true;
                    else s_shared = new LinuxReadiness(epoll);
                }
                return s_shared;
            }
        }
    }

    /// <summary>
    /// True once <paramref name="socket"/> has something to read, or the peer hung up, or it has an error (the next
    /// receive says which), and at once when it cannot be watched (closed, out of memory for epoll): the caller's
    /// blocking receive then finds out. False when <paramref name="limit"/> (infinite or not more than zero: none)
    /// passes first. Cancelled by <paramref name="ct"/>.
    /// </summary>
    public Task<bool> WaitReadableAsync(Socket socket, TimeSpan limit, CancellationToken ct) =>
        WaitAsync(socket.SafeHandle, Readable, limit, ct);

    /// <summary>
    /// True once <paramref name="socket"/> can be written to: for a connect in progress, that it has finished (its
    /// SO_ERROR says how), and at once when it cannot be watched. Same limit and cancellation as <see cref="WaitReadableAsync"/>.
    /// </summary>
    public Task<bool> WaitWritableAsync(SafeHandle socket, TimeSpan limit, CancellationToken ct) =>
        WaitAsync(socket, Writable, limit, ct);

    private Task<bool> WaitAsync(SafeHandle handle, uint interest, TimeSpan limit, CancellationToken ct)
    {
        if (ct.IsCancellationRequested) return Task.FromCanceled<bool>(ct);
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            return Task.FromResult(true);
        }
        var waiter = new Waiter(this, handle, (int)handle.DangerousGetHandle());
        lock (_gate)
        {
            waiter.Id = ++_lastId;
            _waiters.Add(waiter.Id, waiter);
        }
        if (!Control(Interop.Libc.EPOLL_CTL_ADD, waiter.Fd, waiter.Id, interest))
        {
            lock (_gate) _waiters.Remove(waiter.Id);
            handle.DangerousRelease();
            return Task.FromResult(true);
        }
        waiter.Arm(limit, ct);
        return waiter.Task;
    }

    private unsafe bool Control(int op, int fd, ulong id, uint interest = 0)
    {
        byte* ev = stackalloc byte[16];
        Unsafe.WriteUnaligned(ev, interest);
        Unsafe.WriteUnaligned(ev + s_dataOffset, id);
        return Interop.Libc.EpollCtl(_epoll, op, fd, ev) == 0;
    }

    private unsafe void Run()
    {
        byte* events = stackalloc byte[MaxEvents * 16];
        while (true)
        {
            int n = Interop.Libc.EpollWait(_epoll, events, MaxEvents, -1);
            // EINTR is the only failure a valid epoll descriptor and buffer should see; anything else waits a moment
            // rather than spin a core (the waits still end by their time limits).
            if (n < 0)
            {
                if (Interop.Libc.GetLastErrno() != Interop.Errno.EINTR) Thread.Sleep(100);
                continue;
            }
            for (int i = 0; i < n; i++)
            {
                ulong id = Unsafe.ReadUnaligned<ulong>(events + i * s_eventSize + s_dataOffset);
                Waiter? waiter;
                lock (_gate) _waiters.TryGetValue(id, out waiter);
                // Absent: that wait already ended by its limit or cancellation, which removed it.
                waiter?.Finish(true, default);
            }
        }
    }

    private sealed class Waiter
    {
        private readonly LinuxReadiness _owner;
        private readonly SafeHandle _handle;
        private readonly TaskCompletionSource<bool> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Timer? _timer;
        private CancellationTokenRegistration _cancel;
        private int _armed, _finished;

        public Waiter(LinuxReadiness owner, SafeHandle handle, int fd)
        {
            _owner = owner;
            _handle = handle;
            Fd = fd;
        }

        public ulong Id { get; set; }

        public int Fd { get; }

        public Task<bool> Task => _done.Task;

        public void Arm(TimeSpan limit, CancellationToken ct)
        {
            if (limit > TimeSpan.Zero && limit != Timeout.InfiniteTimeSpan)
            {
                long ms = (long)Math.Min(Math.Ceiling(limit.TotalMilliseconds), uint.MaxValue - 1);
                _timer = new Timer(static s => ((Waiter)s!).Finish(false, default), this, ms, Timeout.Infinite);
            }
            if (ct.CanBeCanceled) _cancel = ct.UnsafeRegister(static (s, token) => ((Waiter)s!).Finish(false, token), this);
            // The wait may have ended already (the socket was ready before the timer and registration were made,
            // or the limit or cancellation came at once): then whichever of Arm and Finish comes second disarms, so
            // no timer keeps this object until its limit. Both flags are set with full fences: one of the two sees the other's.
            Interlocked.Exchange(ref _armed, 1);
            if (Volatile.Read(ref _finished) != 0) Disarm();
        }

        private void Disarm()
        {
            _timer?.Dispose();
            _cancel.Unregister();
        }

        // Ends the wait, once: out of epoll while the reference still keeps the descriptor this socket's, then the
        // reference released, then the task completed (its continuations run elsewhere, never on the epoll thread).
        public void Finish(bool ready, CancellationToken cancelled)
        {
            if (Interlocked.Exchange(ref _finished, 1) != 0) return;
            _owner.Control(Interop.Libc.EPOLL_CTL_DEL, Fd, Id);
            lock (_owner._gate) _owner._waiters.Remove(Id);
            _handle.DangerousRelease();
            if (Volatile.Read(ref _armed) != 0) Disarm();
            if (cancelled.IsCancellationRequested) _done.TrySetCanceled(cancelled);
            else _done.TrySetResult(ready);
        }
    }
}
#endif
