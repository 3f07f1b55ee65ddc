using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// A bound listener serving on its own threads (New-SocketListener -Background), without any PowerShell type:
/// counters, the capture of a relay client, its state, and every event as a <see cref="SocketListenerEvent"/>
/// handed to <see cref="IListenerEvents"/> as it happens (the job writes them to its output). It ends by itself
/// (-Count, the one relayed client), when its lifetime (-Timeout) passes, or at <see cref="Stop"/>.
/// </summary>
internal sealed class BackgroundListener
{
    /// <summary>What a relay listener keeps of what clients send (<see cref="GetReceivedData"/>).</summary>
    public const int MaxCapturedBytes = 16 * 1024 * 1024;

    private readonly Listener _listener;
    private readonly ListenerOptions _options;
    private readonly ListenerEventLog _log;
    private readonly CaptureStream? _capture;
    private readonly Encoding _encoding;
    private readonly IListenerEvents _events;
    private readonly CancellationTokenSource _cts = new();
    private Task _run = Task.CompletedTask;
    private int _state;
    private int _stopRequested;
    private int _lifetimeEnded;

    private BackgroundListener(ListenerOptions options, Listener listener, Encoding encoding, IListenerEvents? events)
    {
        _options = options;
        _listener = listener;
        _encoding = encoding;
        _events = events ?? NoEvents.Instance;
        _log = new ListenerEventLog(_events.Event);
        _capture = options.Mode == ListenerMode.Broker || (options.Mode == ListenerMode.Relay && options.Relay.Direction != RelayDirection.SendOnly) ? new CaptureStream(MaxCapturedBytes) : null;
    }

    /// <summary>Where it listens, e.g. <c>tcp://127.0.0.1:40123</c> or <c>unix:/tmp/app.sock</c>.</summary>
    public string Endpoint => _listener.Ready.Endpoint;

    /// <summary>tcp, udp or unix.</summary>
    public string Transport => _listener.Ready.Transport.ToText();

    /// <summary>The bound address (the socket path for Unix).</summary>
    public string Address => _listener.Ready.Address;

    /// <summary>The real port (what port 0 picked). 0 for Unix sockets.</summary>
    public int Port => _listener.Ready.Port;

    public string? TlsKeyPin => _listener.Ready.TlsKeyPin;

    public string? TlsCertificateSha256 => _listener.Ready.TlsCertificateSha256;

    public ListenerMode Mode => _options.Mode;

    public SocketListenerState State => (SocketListenerState)Volatile.Read(ref _state);

    // The engine's live counters (Listener.Statistics), read whenever asked: Get-SocketListener shows them as they are.
    public long Clients => _listener.Statistics.Clients;

    public long ClientsNow => _listener.Statistics.ClientsNow;

    public long Rejected => _listener.Statistics.Rejected;

    public long BytesReceived => _listener.Statistics.BytesReceived;

    public long BytesSent => _listener.Statistics.BytesSent;

    public long Datagrams => _listener.Statistics.Datagrams;

    public long Files => _listener.Statistics is var s ? s.FilesReceived + s.FilesServed : 0;

    public long Errors => _listener.Statistics.Errors;

    /// <summary>All the counters at one moment.</summary>
    public ListenerStatistics Statistics => _listener.Statistics;

    /// <summary>Why it ended (-Count reached, stopped, -Timeout, the client's end, or the error that failed it); null while it runs.</summary>
    public string? Reason { get; private set; }

    /// <summary>The error that failed it, or the relayed client's error (as the foreground form reports it).</summary>
    public Exception? Failure { get; private set; }

    /// <summary>The bytes relay clients sent, as far as they are kept (the first 16 MB).</summary>
    public byte[] GetReceivedData() => _capture?.ToArray() ?? Array.Empty<byte>();

    /// <summary><see cref="GetReceivedData"/> decoded with the listener's encoding.</summary>
    public string ReceivedText => _encoding.GetString(GetReceivedData());

    /// <summary>The most recent events (up to <see cref="ListenerEventLog.MaxEvents"/>).</summary>
    public IReadOnlyList<SocketListenerEvent> GetEvents() => _log.Events();

    /// <summary>Waits until it has ended; false when <paramref name="timeout"/> passed first.</summary>
    public bool WaitForEnd(TimeSpan timeout)
    {
        try
        {
            return _run.Wait(timeout);
        }
        catch (AggregateException)
        {
            return true;
        }
    }

    /// <summary>Starts serving a bound listener; <paramref name="lifetime"/> stops it after that long.</summary>
    public static BackgroundListener Start(Listener listener, ListenerOptions options, IReadOnlyList<byte[]>? input, Encoding encoding, TimeSpan? lifetime, IListenerEvents? events = null)
    {
        var l = new BackgroundListener(options, listener, encoding, events);
        l.Run(input, lifetime);
        return l;
    }

    /// <summary>
    /// Stops serving (closing every client), waits up to <paramref name="grace"/>, and closes the socket. A
    /// listener that already ended is left as it is. False when it did not end within the grace.
    /// </summary>
    public bool Stop(TimeSpan grace)
    {
        if (State != SocketListenerState.Running)
        {
            // Ended already (its owner may be told so right now, on this very call's stack: no waiting for that).
            _listener.Dispose();
            return true;
        }
        if (Interlocked.Exchange(ref _stopRequested, 1) == 0)
        {
            try
            {
                _cts.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
        bool ended = WaitForEnd(grace);
        _listener.Dispose();
        return ended;
    }

    private void Run(IReadOnlyList<byte[]>? input, TimeSpan? lifetime)
    {
        if (lifetime is TimeSpan t)
        {
            // Marked before the token fires, so the end can tell -Timeout from Stop.
            var timer = new Timer(_ =>
            {
                Interlocked.Exchange(ref _lifetimeEnded, 1);
                try
                {
                    _cts.Cancel();
                }
                catch (ObjectDisposedException)
                {
                }
            }, null, t, System.Threading.Timeout.InfiniteTimeSpan);
            _run = RunCore(input).ContinueWith(_ => timer.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return;
        }
        _run = RunCore(input);
    }

    private Task RunCore(IReadOnlyList<byte[]>? input)
    {
        Stream? inputStream = input is null ? null : InputRecordStream.Of(input);
        Stream? output = _capture is null ? null : new ListenerDataStream(_capture, _encoding, _events.Event);
        CancellationToken ct = _cts.Token;
        return Task.Run(() => _listener.RunAsync(inputStream, output, _log, ct), CancellationToken.None).ContinueWith(t => End(t, ct), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void End(Task<ListenerResult> t, CancellationToken ct)
    {
        SocketListenerState state;
        ListenerResult? result = null;
        if (t.Status == TaskStatus.RanToCompletion)
        {
            result = t.Result;
            Failure = result.Relay?.Error;
            state = result.Succeeded ? SocketListenerState.Completed : SocketListenerState.Failed;
            Reason = Failure?.Message ?? (_options.Count is long n ? $"-Count {n} reached" : "the client's connection ended");
        }
        else if (t.IsCanceled || ct.IsCancellationRequested)
        {
            state = SocketListenerState.Stopped;
            Reason = Volatile.Read(ref _lifetimeEnded) == 1 ? "-Timeout passed" : "stopped";
        }
        else
        {
            Failure = t.Exception!.GetBaseException();
            state = SocketListenerState.Failed;
            Reason = Failure.Message;
        }
        Volatile.Write(ref _state, (int)state);
        // Ended by itself: the socket (and a Unix socket file) goes now, not at Stop.
        if (Volatile.Read(ref _stopRequested) == 0) _listener.Dispose();
        SocketListenerEvent last = ListenerEventMapper.Stopped(result, Reason, DateTime.Now);
        // The engine's counters have every client's bytes (an echo listener's result only has its own totals).
        ListenerStatistics final = Statistics;
        last.Client = Transport == "udp" ? final.Datagrams : final.Clients;
        last.Bytes = final.BytesReceived;
        last.BytesSent = final.BytesSent;
        _events.Ended(state, last, Failure);
    }

    private sealed class NoEvents : IListenerEvents
    {
        public static readonly NoEvents Instance = new();

        public void Event(SocketListenerEvent e)
        {
        }

        public void Ended(SocketListenerState state, SocketListenerEvent stopped, Exception? failure)
        {
        }
    }
}
