using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// A listener serving in the background (New-SocketListener -Background): where it is bound (with the real
/// port), its mode, live counters and state. It keeps serving while the script goes on, until it ends by
/// itself (-Count, the one relayed client), -Timeout passes, or Stop-SocketListener stops it.
/// </summary>
public sealed class SocketListener
{
    /// <summary>What a relay listener keeps of what clients send (<see cref="GetReceivedData"/>).</summary>
    public const int MaxCapturedBytes = 16 * 1024 * 1024;

    private readonly Listener _listener;
    private readonly ListenerCounters _counters = new();
    private readonly CaptureStream? _capture;
    private readonly Encoding _encoding;
    private readonly CancellationTokenSource _cts = new();
    private Task _run = Task.CompletedTask;
    private int _state;
    private bool _stopRequested;

    private SocketListener(int id, string? name, ListenerOptions options, Listener listener, Encoding encoding)
    {
        Id = id;
        Name = name;
        Mode = options.Mode;
        _listener = listener;
        _encoding = encoding;
        _capture = options.Mode == ListenerMode.Relay && options.Relay.Direction != RelayDirection.SendOnly ? new CaptureStream(MaxCapturedBytes) : null;
        StartTime = DateTime.Now;
    }

    /// <summary>Its number in this PowerShell process (Get-SocketListener -Id, Stop-SocketListener -Id).</summary>
    public int Id { get; }

    /// <summary>The -Name it was given, if any.</summary>
    public string? Name { get; }

    /// <summary>Where it listens, e.g. <c>tcp://127.0.0.1:40123</c> or <c>unix:/tmp/app.sock</c>.</summary>
    public string Endpoint => _listener.Ready.Endpoint;

    /// <summary>tcp, udp or unix.</summary>
    public string Transport => _listener.Ready.Transport;

    /// <summary>The bound address (the socket path for Unix).</summary>
    public string Address => _listener.Ready.Address;

    /// <summary>The real port (what -Port 0 picked). 0 for Unix sockets.</summary>
    public int Port => _listener.Ready.Port;

    /// <summary>Relay (capture what clients send), Echo, ReceiveFiles or ServeFiles.</summary>
    public ListenerMode Mode { get; }

    /// <summary>Running, Completed, Stopped or Failed.</summary>
    public SocketListenerState State => (SocketListenerState)Volatile.Read(ref _state);

    /// <summary>When it started serving.</summary>
    public DateTime StartTime { get; }

    /// <summary>Clients accepted (TCP, Unix). UDP has no connections: see <see cref="Datagrams"/>.</summary>
    public long Clients => _counters.Clients;

    /// <summary>Peers refused by -Allow/-Deny.</summary>
    public long Rejected => _counters.Rejected;

    /// <summary>Bytes received from clients (counted as each client's connection ends, or per datagram).</summary>
    public long BytesReceived => _counters.BytesReceived;

    /// <summary>Bytes sent to clients (counted as each client's connection ends; for UDP once the listener stops).</summary>
    public long BytesSent => _counters.BytesSent;

    /// <summary>UDP datagrams received.</summary>
    public long Datagrams => _counters.Datagrams;

    /// <summary>Files received and verified (-ReceiveFiles) or served (-ServeFiles).</summary>
    public long Files => _counters.Files;

    /// <summary>Why it failed (State Failed), or the relayed client's error.</summary>
    public string? Error { get; private set; }

    /// <summary>The bytes relay clients sent, as far as they are kept (the first 16 MB).</summary>
    public byte[] GetReceivedData() => _capture?.ToArray() ?? Array.Empty<byte>();

    /// <summary><see cref="GetReceivedData"/> decoded with the listener's -Encoding.</summary>
    public string ReceivedText => _encoding.GetString(GetReceivedData());

    /// <summary>The most recent events (up to 1000): connected, closed, rejected, datagram, file.</summary>
    public IReadOnlyList<SocketListenerEvent> GetEvents() => _counters.Events();

    /// <summary>Waits until the listener has ended (by itself, by -Timeout or by Stop-SocketListener); false when <paramref name="timeout"/> passed first.</summary>
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

    /// <inheritdoc />
    public override string ToString() => $"{Endpoint} ({Mode}, {State})";

    /// <summary>Starts serving a bound listener in the background; <paramref name="lifetime"/> stops it after that long.</summary>
    internal static SocketListener Start(Listener listener, ListenerOptions options, IReadOnlyList<byte[]>? input, Encoding encoding, TimeSpan? lifetime, string? name)
    {
        var l = new SocketListener(ListenerRegistry.NextId(), name, options, listener, encoding);
        l.Run(input, lifetime);
        ListenerRegistry.Add(l);
        return l;
    }

    /// <summary>Stops serving (closing every client), waits up to <paramref name="grace"/>, and closes the socket.</summary>
    internal bool Stop(TimeSpan grace)
    {
        _stopRequested = true;
        _cts.Cancel();
        bool ended = WaitForEnd(grace);
        _listener.Dispose();
        return ended;
    }

    private void Run(IReadOnlyList<byte[]>? input, TimeSpan? lifetime)
    {
        if (lifetime is TimeSpan t) _cts.CancelAfter(t);
        Stream? inputStream = input is null ? null : InputRecordStream.Of(input);
        CancellationToken ct = _cts.Token;
        _run = Task.Run(() => _listener.RunAsync(inputStream, _capture, _counters, ct), CancellationToken.None).ContinueWith(t =>
        {
            if (t.Status == TaskStatus.RanToCompletion)
            {
                ListenerResult r = t.Result;
                _counters.Settle(r, Transport == "udp");
                Error = r.Relay?.Error?.Message;
                Volatile.Write(ref _state, (int)(r.Succeeded ? SocketListenerState.Completed : SocketListenerState.Failed));
            }
            else if (t.IsCanceled || ct.IsCancellationRequested)
            {
                Volatile.Write(ref _state, (int)SocketListenerState.Stopped);
            }
            else
            {
                Exception e = t.Exception!.GetBaseException();
                Error = e.Message;
                Volatile.Write(ref _state, (int)SocketListenerState.Failed);
            }
            // Ended by itself: the socket (and a Unix socket file) goes now, not at Stop-SocketListener.
            if (!_stopRequested) _listener.Dispose();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
