using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// A listener serving in the background (New-SocketListener -Background), as a PowerShell job: Get-Job,
/// Wait-Job, Receive-Job (its events: ready, connected, data, closed, rejected, datagram, file, stopped),
/// Stop-Job and Remove-Job work on it. Besides the job's members it says where it is bound (with the real
/// port), its mode and live counters. It serves until it ends by itself (-Count, the one relayed client),
/// -Timeout passes, it is stopped (Stop-SocketListener, Stop-Job), or its session closes or removes the module.
/// </summary>
public sealed class SocketListener : Job, IListenerEvents
{
    /// <summary>What a relay listener keeps of what clients send (<see cref="GetReceivedData"/>).</summary>
    public const int MaxCapturedBytes = BackgroundListener.MaxCapturedBytes;

    /// <summary>Events kept for Receive-Job before the oldest unread ones are dropped (the counters still count them).</summary>
    public const int MaxUnreadEvents = 10000;

    /// <summary>How long a listener may take to close its clients before its socket is closed anyway.</summary>
    internal static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    /// <summary>Every session's background listeners (the owner is the session's runspace).</summary>
    internal static readonly ListenerRegistry<SocketListener> Sessions = new();

    private static readonly object s_noRunspace = new();

    private readonly object _outputLock = new();
    private BackgroundListener? _listener;
    private bool _ended;
    private bool _disposed;
    private bool _dropWarned;

    private SocketListener(string command, string? name)
        : base(command, name)
    {
        PSJobTypeName = "SocketListener";
        if (string.IsNullOrEmpty(name)) Name = "Listener" + Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The session (runspace) running on this thread: the owner of the listeners it starts.</summary>
    internal static object CurrentOwner => Runspace.DefaultRunspace ?? s_noRunspace;

    private BackgroundListener Listener => _listener ?? throw new InvalidOperationException("the listener has not started");

    /// <summary>Where it listens, e.g. <c>tcp://127.0.0.1:40123</c> or <c>unix:/tmp/app.sock</c>.</summary>
    public string Endpoint => Listener.Endpoint;

    /// <summary>tcp, udp or unix.</summary>
    public string Transport => Listener.Transport;

    /// <summary>The bound address (the socket path for Unix).</summary>
    public string Address => Listener.Address;

    /// <summary>The real port (what -Port 0 picked). 0 for Unix sockets.</summary>
    public int Port => Listener.Port;

    /// <summary>With TLS: <c>sha256:BASE64</c> of the certificate's public key, the form a client pins; null without TLS.</summary>
    public string? TlsKeyPin => Listener.TlsKeyPin;

    /// <summary>With TLS: the SHA-256 fingerprint of the listener's certificate (hex pairs); null without TLS.</summary>
    public string? TlsCertificateSha256 => Listener.TlsCertificateSha256;

    /// <summary>Relay (capture what clients send), Echo, ReceiveFiles or ServeFiles: the engine's ListenerMode, as text so that it survives serialization (remoting turns an enum of a module's own into a number).</summary>
    public string Mode => Listener.Mode.ToString();

    /// <summary>The job's state: Running, then Completed (ended by itself), Stopped (stopped, or -Timeout) or Failed.</summary>
    public JobState State => JobStateInfo.State;

    /// <summary>Clients accepted (TCP, Unix). UDP has no connections: see <see cref="Datagrams"/>.</summary>
    public long Clients => Listener.Clients;

    /// <summary>Peers refused by -Allow/-Deny.</summary>
    public long Rejected => Listener.Rejected;

    /// <summary>Bytes received from clients (counted as each client's connection ends, or per datagram), live.</summary>
    public long BytesReceived => Listener.BytesReceived;

    /// <summary>Bytes sent to clients (counted as each client's connection ends, or per datagram), live.</summary>
    public long BytesSent => Listener.BytesSent;

    /// <summary>UDP datagrams received, counted as they arrive.</summary>
    public long Datagrams => Listener.Datagrams;

    /// <summary>Files received and verified (-ReceiveFiles) or served (-ServeFiles).</summary>
    public long Files => Listener.Files;

    /// <summary>Clients connected now (UDP forward: sessions open).</summary>
    public long ClientsNow => Listener.ClientsNow;

    /// <summary>Clients whose connection ended with an error (not counting those closed because the listener stopped).</summary>
    public long Errors => Listener.Errors;

    /// <summary>All the counters at one moment, as the engine keeps them (what <c>nsock listen --stats</c> prints).</summary>
    public ListenerStatistics GetStatistics() => Listener.Statistics;

    /// <summary>Why it ended: -Count reached, the client's connection ended, -Timeout passed, stopped, or the error that failed it (also in the job's Error stream). Empty while it runs.</summary>
    public string? Reason => Listener.Reason;

    /// <summary>The bytes relay clients sent, as far as they are kept (the first 16 MB).</summary>
    public byte[] GetReceivedData() => Listener.GetReceivedData();

    /// <summary><see cref="GetReceivedData"/> decoded with the listener's -Encoding.</summary>
    public string ReceivedText => Listener.ReceivedText;

    /// <summary>The most recent events (up to 1000), whether Receive-Job took them or not.</summary>
    public IReadOnlyList<SocketListenerEvent> GetEvents() => Listener.GetEvents();

    /// <summary>Waits until the listener has ended (by itself, by -Timeout or stopped); false when <paramref name="timeout"/> passed first. Wait-Job does the same.</summary>
    public bool WaitForEnd(TimeSpan timeout)
    {
        try
        {
            // The job's own signal: set once its state is final, so State says how it ended when this returns.
            return Finished.WaitOne(timeout);
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }

    /// <summary>True when a stop gave up waiting for its clients: the job is Stopped, its socket closed, but its run has not ended yet.</summary>
    internal bool StillClosing => _listener is not null && !_listener.WaitForEnd(TimeSpan.Zero);

    /// <inheritdoc />
    public override string StatusMessage => _listener is null ? "" :
        Transport == "udp" ? $"{Datagrams} datagrams, {BytesReceived} bytes received" : $"{Clients} clients, {BytesReceived} bytes received, {BytesSent} sent";

    /// <inheritdoc />
    public override bool HasMoreData
    {
        get
        {
            lock (_outputLock)
            {
                if (_disposed) return false;
                return Output.Count > 0 || Error.Count > 0 || Warning.Count > 0;
            }
        }
    }

    /// <summary>Where it listens (its endpoint).</summary>
    public override string Location => _listener is null ? "" : Endpoint;

    /// <summary>Stops serving (closing every client) and closes the socket; nothing happens to a listener that already ended. Stop-Job calls it.</summary>
    public override void StopJob()
    {
        if (_listener is null) return;
        if (!_listener.Stop(StopGrace))
        {
            // Its socket is closed; the run ends when its clients let go. The job ends now, as Stop-Job expects.
            Finish(JobState.Stopped, ListenerEventMapper.Stopped(null, $"stopped; clients did not close within {StopGrace.TotalSeconds}s", DateTime.Now), null);
        }
    }

    /// <inheritdoc />
    public override string ToString() => _listener is null ? Name : $"{Endpoint} ({Mode}, {State})";

    /// <summary>Starts serving a bound listener in the background for <paramref name="owner"/>'s session; <paramref name="lifetime"/> stops it after that long.</summary>
    internal static SocketListener Start(object owner, Listener listener, ListenerOptions options, IReadOnlyList<byte[]>? input, Encoding encoding, TimeSpan? lifetime, string? name)
    {
        var job = new SocketListener(CommandOf(listener, options), name);
        job.SetJobState(JobState.Running);
        job._listener = BackgroundListener.Start(listener, options, input, encoding, lifetime, job);
        Sessions.Add(owner, job);
        if (owner is Runspace runspace)
        {
            // Once per runspace: a handler added twice would only stop nothing the second time.
            runspace.StateChanged -= OnOwnerStateChanged;
            runspace.StateChanged += OnOwnerStateChanged;
        }
        return job;
    }

    /// <summary>Stops every listener of <paramref name="owner"/>'s session and forgets them (the session closes or removes the module).</summary>
    internal static void StopAll(object owner)
    {
        foreach (SocketListener l in Sessions.TakeAll(owner))
        {
            try
            {
                l.StopJob();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>Stops the listener if it still runs; Remove-Job calls it.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Sessions.Remove(this);
            _listener?.Stop(StopGrace);
            lock (_outputLock) _disposed = true;
        }
        base.Dispose(disposing);
    }

    void IListenerEvents.Event(SocketListenerEvent e)
    {
        lock (_outputLock)
        {
            if (_ended || _disposed) return;
            try
            {
                if (Output.Count >= MaxUnreadEvents)
                {
                    // Nobody is reading: keep the newest, as the counters keep counting.
                    Output.RemoveAt(0);
                    if (!_dropWarned)
                    {
                        _dropWarned = true;
                        Warning.Add(new WarningRecord($"more than {MaxUnreadEvents} events were not received (Receive-Job); the oldest are dropped"));
                    }
                }
                Output.Add(PSObject.AsPSObject(e));
            }
            catch (Exception x) when (x is ArgumentOutOfRangeException or InvalidOperationException or ObjectDisposedException)
            {
                // Receive-Job emptied the output between the count and the removal, or the job is closing: the
                // listener's own threads must never fail for it.
            }
        }
    }

    void IListenerEvents.Ended(SocketListenerState state, SocketListenerEvent stopped, Exception? failure) =>
        Finish(state switch
        {
            SocketListenerState.Completed => JobState.Completed,
            SocketListenerState.Failed => JobState.Failed,
            _ => JobState.Stopped,
        }, stopped, failure);

    private void Finish(JobState state, SocketListenerEvent stopped, Exception? failure)
    {
        lock (_outputLock)
        {
            if (_ended || _disposed) return;
            _ended = true;
            try
            {
                Output.Add(PSObject.AsPSObject(stopped));
                if (failure is not null) Error.Add(NsockCmdlet.ToErrorRecord(failure, _listener?.Endpoint));
            }
            catch (Exception x) when (x is InvalidOperationException or ObjectDisposedException)
            {
            }
        }
        try
        {
            SetJobState(state);
        }
        catch (ObjectDisposedException)
        {
            // Remove-Job disposed it while it was closing.
        }
    }

    private static void OnOwnerStateChanged(object? sender, RunspaceStateEventArgs e)
    {
        if (sender is not Runspace runspace) return;
        RunspaceState s = e.RunspaceStateInfo.State;
        if (s is not (RunspaceState.Closing or RunspaceState.Closed or RunspaceState.Broken)) return;
        runspace.StateChanged -= OnOwnerStateChanged;
        StopAll(runspace);
    }

    private static string CommandOf(Listener listener, ListenerOptions options) => "New-SocketListener -Endpoint " + listener.Ready.Endpoint + options.Mode switch
    {
        ListenerMode.Echo => " -Echo",
        ListenerMode.ReceiveFiles => " -ReceiveFiles '" + options.FileDirectory + "'",
        ListenerMode.ServeFiles => " -ServeFiles '" + options.FileDirectory + "'",
        _ => "",
    };
}
