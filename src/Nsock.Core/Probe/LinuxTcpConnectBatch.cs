#if NET
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;

namespace Nsock.Core;

// On Linux, TCP connect probes straight on the system calls, as nc and nmap make them: non-blocking socket(2)
// and connect(2), one poll(2) per round for every probe in flight, getsockopt(SO_ERROR), close(2). No thread
// hand-off, exception or epoll registration per probe: a refused loopback port costs five system calls.
// Everywhere else TcpConnectBatch does the same job through .NET sockets.
internal static class LinuxTcpConnectBatch
{
    private const int AF_INET = 2, AF_INET6 = 10, SOCK_STREAM = 1, SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    private const int SOL_SOCKET = 1, SO_ERROR = 4, SO_LINGER = 13;
    private const short POLLOUT = 4;
    private const int EINTR = 4, EINPROGRESS = 115, ECONNREFUSED = 111, EMFILE = 24, ENFILE = 23;

    public static void Run(IReadOnlyList<IPEndPoint?> targets, int parallel, TimeSpan timeout, TcpConnectBatch.Report report, CancellationToken ct)
    {
        int slots = Math.Max(1, Math.Min(parallel, targets.Count));
        var fds = new PollFd[slots];
        var indexes = new int[slots];
        var started = new long[slots];
        int count = 0, next = 0;
        long timeoutTicks = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var v4 = new byte[16];
        var v6 = new byte[28];
        try
        {
            while ((next < targets.Count || count > 0) && !ct.IsCancellationRequested)
            {
                while (count < slots && next < targets.Count)
                {
                    int index = next;
                    if (targets[index] is not IPEndPoint ep)
                    {
                        next++;
                        continue;
                    }
                    long t0 = Stopwatch.GetTimestamp();
                    int fd = socket(ep.AddressFamily == AddressFamily.InterNetworkV6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
                    if (fd < 0)
                    {
                        int e = Marshal.GetLastPInvokeError();
                        if ((e == EMFILE || e == ENFILE) && count > 0) break; // out of descriptors: let some finish first
                        next++;
                        report(index, PortState.Filtered, null, "cannot open a socket: " + Describe(e));
                        continue;
                    }
                    next++;
                    byte[] address = Fill(ep, v4, v6);
                    int rc = connect(fd, address, address.Length);
                    int errno = rc == 0 ? 0 : Marshal.GetLastPInvokeError();
                    if (errno == EINPROGRESS || errno == EINTR)
                    {
                        fds[count] = new PollFd { Fd = fd, Events = POLLOUT };
                        indexes[count] = index;
                        started[count] = t0;
                        count++;
                    }
                    else
                    {
                        Finish(fd, index, errno, t0, report);
                    }
                }
                if (count == 0) continue;

                long now = Stopwatch.GetTimestamp();
                long soonest = long.MaxValue;
                for (int i = 0; i < count; i++) soonest = Math.Min(soonest, started[i] + timeoutTicks);
                int waitMs = (int)Math.Max(0, Math.Min(100, (soonest - now) * 1000 / Stopwatch.Frequency));
                int ready = poll(fds, (nuint)count, waitMs);
                if (ready < 0 && Marshal.GetLastPInvokeError() != EINTR) throw new SocketException(Marshal.GetLastPInvokeError());

                now = Stopwatch.GetTimestamp();
                for (int i = count - 1; i >= 0; i--)
                {
                    if (fds[i].Revents != 0)
                    {
                        int error = 0, length = sizeof(int);
                        getsockopt(fds[i].Fd, SOL_SOCKET, SO_ERROR, ref error, ref length);
                        Finish(fds[i].Fd, indexes[i], error, started[i], report);
                    }
                    else if (now - started[i] >= timeoutTicks)
                    {
                        close(fds[i].Fd);
                        report(indexes[i], PortState.Filtered, null, "no answer within the timeout");
                    }
                    else
                    {
                        continue;
                    }
                    count--;
                    fds[i] = fds[count];
                    indexes[i] = indexes[count];
                    started[i] = started[count];
                    fds[i].Revents = 0;
                }
            }
        }
        finally
        {
            for (int i = 0; i < count; i++) close(fds[i].Fd);
        }
    }

    private static void Finish(int fd, int index, int errno, long started, TcpConnectBatch.Report report)
    {
        double ms = (Stopwatch.GetTimestamp() - started) * 1000.0 / Stopwatch.Frequency;
        if (errno == 0)
        {
            // A reset, as nmap's connect scan does: no TIME_WAIT left behind for each of thousands of probes.
            var linger = new Linger { OnOff = 1, Seconds = 0 };
            setsockopt(fd, SOL_SOCKET, SO_LINGER, ref linger, 8);
            close(fd);
            report(index, PortState.Open, ms, null);
            return;
        }
        close(fd);
        if (errno == ECONNREFUSED) report(index, PortState.Closed, ms, null);
        else report(index, PortState.Filtered, null, Describe(errno));
    }

    private static string Describe(int errno) => errno switch
    {
        110 => "timed out",
        113 => "no route to host",
        101 => "network unreachable",
        112 => "host is down",
        100 => "network is down",
        13 => "permission denied",
        99 => "address not available on this machine",
        EMFILE or ENFILE => "too many open files",
        _ => $"connect failed (errno {errno})",
    };

    private static byte[] Fill(IPEndPoint ep, byte[] v4, byte[] v6)
    {
        byte[] ip = ep.Address.GetAddressBytes();
        if (ep.AddressFamily == AddressFamily.InterNetworkV6)
        {
            Array.Clear(v6, 0, v6.Length);
            BitConverter.TryWriteBytes(v6.AsSpan(0, 2), (ushort)AF_INET6);
            v6[2] = (byte)(ep.Port >> 8);
            v6[3] = (byte)ep.Port;
            Buffer.BlockCopy(ip, 0, v6, 8, 16);
            BitConverter.TryWriteBytes(v6.AsSpan(24, 4), (uint)ep.Address.ScopeId);
            return v6;
        }
        Array.Clear(v4, 0, v4.Length);
        BitConverter.TryWriteBytes(v4.AsSpan(0, 2), (ushort)AF_INET);
        v4[2] = (byte)(ep.Port >> 8);
        v4[3] = (byte)ep.Port;
        Buffer.BlockCopy(ip, 0, v4, 4, 4);
        return v4;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Linger
    {
        public int OnOff;
        public int Seconds;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int socket(int domain, int type, int protocol);

    [DllImport("libc", SetLastError = true)]
    private static extern int connect(int fd, byte[] address, int length);

    [DllImport("libc", SetLastError = true)]
    private static extern int poll([In, Out] PollFd[] fds, nuint count, int timeoutMs);

    [DllImport("libc", SetLastError = true)]
    private static extern int getsockopt(int fd, int level, int name, ref int value, ref int length);

    [DllImport("libc", SetLastError = true)]
    private static extern int setsockopt(int fd, int level, int name, ref Linger value, int length);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
#endif
