using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace Nsock.Core;

// TCP connect probes with a fixed pool of SocketAsyncEventArgs, one per probe in flight. A connect that the
// kernel settles at once (a refused loopback port) completes inline with its error code: no exception, no task,
// no timer per probe, so a closed port costs little more than the socket(2), connect(2) and close(2) it needs.
// Connects still in progress complete through the socket engine; one sweep cancels those past the timeout.
internal static class TcpConnectBatch
{
    public delegate void Report(int index, PortState state, double? latencyMs, string? detail);

    public static void Run(IReadOnlyList<IPEndPoint?> targets, int parallel, TimeSpan timeout, Report report, CancellationToken ct)
    {
        int slots = Math.Max(1, Math.Min(parallel, targets.Count));
        var free = new BlockingCollection<SocketAsyncEventArgs>(slots);
        var inFlight = new Probe?[slots];
        long timeoutTicks = (long)(timeout.TotalSeconds * Stopwatch.Frequency);

        void Complete(SocketAsyncEventArgs args)
        {
            var probe = (Probe)args.UserToken!;
            long now = Stopwatch.GetTimestamp();
            double ms = (now - probe.Started) * 1000.0 / Stopwatch.Frequency;
            SocketError error = args.SocketError;
            if (error == SocketError.Success)
            {
                // A reset, as nmap's connect scan does: no TIME_WAIT left behind for each of thousands of probes.
                try { probe.Socket.LingerState = new LingerOption(true, 0); } catch (SocketException) { }
            }
            probe.Socket.Dispose();
            int prior;
            lock (probe)
            {
                prior = probe.State;
                probe.State = Probe.Done;
            }
            if (prior == Probe.Cancelled || error == SocketError.OperationAborted)
                report(probe.Index, PortState.Filtered, null, "no answer within the timeout");
            else if (error == SocketError.Success) report(probe.Index, PortState.Open, ms, null);
            else if (error == SocketError.ConnectionRefused) report(probe.Index, PortState.Closed, ms, null);
            else report(probe.Index, PortState.Filtered, null, SocketErrors.Classify(error, "connect").Message);
            Volatile.Write(ref inFlight[probe.Slot], null);
            args.UserToken = null;
            free.Add(args);
        }

        for (int i = 0; i < slots; i++)
        {
            var args = new SocketAsyncEventArgs();
            args.Completed += (_, a) => Complete(a);
            free.Add(args);
        }

        try
        {
            for (int index = 0; index < targets.Count && !ct.IsCancellationRequested; index++)
            {
                if (targets[index] is not IPEndPoint ep) continue;
                SocketAsyncEventArgs args;
                while (!free.TryTake(out args!, 20)) Sweep(inFlight, timeoutTicks);
                int slot = Array.IndexOf(inFlight, null);
                var socket = new Socket(ep.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                var probe = new Probe(index, slot, socket, args, Stopwatch.GetTimestamp());
                Volatile.Write(ref inFlight[slot], probe);
                args.UserToken = probe;
                args.RemoteEndPoint = ep;
                if (!socket.ConnectAsync(args)) Complete(args);
            }
            // Wait for the last ones to settle or time out.
            while (free.Count < slots && !ct.IsCancellationRequested)
            {
                Sweep(inFlight, timeoutTicks);
                Thread.Sleep(5);
            }
        }
        finally
        {
            foreach (Probe? p in inFlight)
            {
                if (p is not null) Socket.CancelConnectAsync(p.Args);
            }
        }
    }

    private static void Sweep(Probe?[] inFlight, long timeoutTicks)
    {
        long now = Stopwatch.GetTimestamp();
        foreach (Probe? p in inFlight)
        {
            if (p is null || now - p.Started < timeoutTicks) continue;
            // Under the probe's lock, so its args are never cancelled after they went on to another probe.
            lock (p)
            {
                if (p.State != Probe.Connecting) continue;
                p.State = Probe.Cancelled;
                Socket.CancelConnectAsync(p.Args);
            }
        }
    }

    private sealed class Probe
    {
        public readonly int Index, Slot;
        public readonly Socket Socket;
        public readonly SocketAsyncEventArgs Args;
        public const int Connecting = 0, Cancelled = 1, Done = 2;
        public readonly long Started;
        public int State;

        public Probe(int index, int slot, Socket socket, SocketAsyncEventArgs args, long started)
        {
            Index = index;
            Slot = slot;
            Socket = socket;
            Args = args;
            Started = started;
        }
    }
}
