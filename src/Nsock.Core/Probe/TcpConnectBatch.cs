using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace Nsock.Core;

// TCP connect probes with non-blocking .NET sockets, waited for with Socket.Select on the caller's thread: the
// portable twin of LinuxTcpConnectBatch (netstandard2.0, Windows, macOS). No probe needs any other thread. The
// earlier version took its answers from SocketAsyncEventArgs completions, which the socket engine hands to the
// thread pool: with the pool busy (PowerShell's ForEach-Object -Parallel, one blocked pool thread per runspace)
// connects that had long succeeded were still waiting for a thread when the sweep gave up on them, and open ports
// came back "filtered". Here a port is filtered only when a Select that looked at its socket found no answer and
// the timeout, counted from its own connect(2), has passed.
internal static class TcpConnectBatch
{
    public delegate void Report(int index, PortState state, double? latencyMs, string? detail);

    // Socket.Select takes at most 65,536 sockets per list.
    private const int MaxInFlight = 65536;

    // How long one Select may wait, so cancellation is seen promptly.
    private const int MaxWaitMs = 100;

    public static void Run(IReadOnlyList<IPEndPoint?> targets, int parallel, TimeSpan timeout, Report report, CancellationToken ct) =>
        Run(targets, parallel, timeout, report, null, ct);

    /// <summary>As above, each probe bound first to <paramref name="source"/>'s address and port when it names them (a bind failure fails the run).</summary>
    public static void Run(IReadOnlyList<IPEndPoint?> targets, int parallel, TimeSpan timeout, Report report, ConnectOptions? source, CancellationToken ct)
    {
        int slots = Math.Max(1, Math.Min(Math.Min(parallel, MaxInFlight), targets.Count));
        var inFlight = new List<Probe>(slots);
        var checkWrite = new List<Socket>(slots);
        var checkError = new List<Socket>(slots);
        var settled = new HashSet<Socket>();
        long timeoutTicks = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        int next = 0;
        try
        {
            while ((next < targets.Count || inFlight.Count > 0) && !ct.IsCancellationRequested)
            {
                while (inFlight.Count < slots && next < targets.Count)
                {
                    int index = next;
                    if (targets[index] is not IPEndPoint ep)
                    {
                        next++;
                        continue;
                    }
                    Socket socket;
                    try
                    {
                        socket = new Socket(ep.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
                    }
                    catch (SocketException e)
                    {
                        // Out of descriptors: let some probes finish first, unless none is left to finish.
                        if (e.SocketErrorCode == SocketError.TooManyOpenSockets && inFlight.Count > 0) break;
                        next++;
                        report(index, PortState.Filtered, null, "cannot open a socket: " + SocketErrors.Classify(e.SocketErrorCode, "socket").Message);
                        continue;
                    }
                    next++;
                    if (source is { HasSource: true })
                    {
                        try
                        {
                            Connector.BindSource(socket, source, ep.AddressFamily);
                        }
                        catch
                        {
                            socket.Dispose();
                            throw;
                        }
                    }
                    long started = Stopwatch.GetTimestamp();
                    SocketError error = Connect(socket, ep);
                    if (error is SocketError.WouldBlock or SocketError.InProgress or SocketError.AlreadyInProgress)
                        inFlight.Add(new Probe(index, socket, started));
                    else
                        Finish(socket, index, error, started, report);
                }
                if (inFlight.Count == 0) continue;

                long now = Stopwatch.GetTimestamp();
                long soonest = long.MaxValue;
                checkWrite.Clear();
                checkError.Clear();
                foreach (Probe p in inFlight)
                {
                    soonest = Math.Min(soonest, p.Started + timeoutTicks);
                    checkWrite.Add(p.Socket);
                    checkError.Add(p.Socket);
                }
                long waitMs = Math.Max(0, Math.Min(MaxWaitMs, (soonest - now) * 1000 / Stopwatch.Frequency));
                // A connect settles as writable (connected; on Unix also refused) or with an error (refused on Windows).
                Socket.Select(null, checkWrite, checkError, (int)waitMs * 1000);
                settled.Clear();
                foreach (Socket s in checkWrite) settled.Add(s);
                foreach (Socket s in checkError) settled.Add(s);

                now = Stopwatch.GetTimestamp();
                for (int i = inFlight.Count - 1; i >= 0; i--)
                {
                    Probe p = inFlight[i];
                    if (settled.Contains(p.Socket))
                    {
                        Finish(p.Socket, p.Index, PendingError(p.Socket), p.Started, report);
                    }
                    else if (now - p.Started >= timeoutTicks)
                    {
                        // Select just looked at this socket and found no answer, and its own timeout has passed.
                        p.Socket.Dispose();
                        report(p.Index, PortState.Filtered, null, "no answer within the timeout");
                    }
                    else
                    {
                        continue;
                    }
                    inFlight[i] = inFlight[inFlight.Count - 1];
                    inFlight.RemoveAt(inFlight.Count - 1);
                }
            }
        }
        finally
        {
            foreach (Probe p in inFlight) p.Socket.Dispose();
        }
    }

    // connect(2) on a non-blocking socket: its error code, without the exception .NET makes of it.
    private static SocketError Connect(Socket socket, IPEndPoint ep)
    {
        try
        {
            socket.Connect(ep);
            return SocketError.Success;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    }

    // What became of a connect that Select reports settled: SO_ERROR, 0 when it connected.
    private static SocketError PendingError(Socket socket)
    {
        try
        {
            object? value = socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error);
            return value is int code ? (SocketError)code : SocketError.SocketError;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    }

    private static void Finish(Socket socket, int index, SocketError error, long started, Report report)
    {
        double ms = (Stopwatch.GetTimestamp() - started) * 1000.0 / Stopwatch.Frequency;
        if (error == SocketError.Success)
        {
            // A reset, as nmap's connect scan does: no TIME_WAIT left behind for each of thousands of probes.
            try { socket.LingerState = new LingerOption(true, 0); } catch (SocketException) { }
        }
        socket.Dispose();
        if (error == SocketError.Success) report(index, PortState.Open, ms, null);
        else if (error == SocketError.ConnectionRefused) report(index, PortState.Closed, ms, null);
        else report(index, PortState.Filtered, null, SocketErrors.Describe(error)); // as the Linux batch and the UDP probe say it
    }

    private sealed class Probe
    {
        public readonly int Index;
        public readonly Socket Socket;
        public readonly long Started;

        public Probe(int index, Socket socket, long started)
        {
            Index = index;
            Socket = socket;
            Started = started;
        }
    }
}
