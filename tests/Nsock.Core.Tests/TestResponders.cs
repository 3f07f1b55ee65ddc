using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;

namespace Nsock.Core.Tests;

/// <summary>The engine's own UDP echo listener, bound to port 0 on a loopback address and served until disposed.</summary>
internal sealed class EchoListener : IAsyncDisposable
{
    private readonly Listener _listener;
    private readonly CancellationTokenSource _cts = new();
    private readonly Task _run;

    private EchoListener(Listener listener, string host)
    {
        _listener = listener;
        Host = host;
        _run = listener.RunAsync(null, null, Events, _cts.Token);
    }

    public string Host { get; }

    public int Port => _listener.Ready.Port;

    public Endpoint Endpoint => new(Transport.Udp, Host, Port);

    /// <summary>What the listener reported (one <see cref="DatagramReceived"/> per datagram when asked for).</summary>
    public TestEventSink Events { get; } = new();

    public static async Task<EchoListener> StartAsync(string host = "127.0.0.1", bool reportDatagrams = false)
    {
        var options = new ListenerOptions { Endpoint = new Endpoint(Transport.Udp, host, 0), Mode = ListenerMode.Echo, ReportDatagrams = reportDatagrams };
        using var bindLimit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Listener listener = await Listener.BindAsync(options, bindLimit.Token);
        return new EchoListener(listener, host);
    }

    public async ValueTask DisposeAsync()
    {
        _cts.Cancel();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (OperationCanceledException)
        {
            // How a cancelled listener ends.
        }
        finally
        {
            _listener.Dispose();
            _cts.Dispose();
        }
    }
}

/// <summary>
/// A hand-made UDP peer for the ping tests: a socket on a loopback address, port 0, whose receive loop hands
/// every datagram to a test-supplied handler that decides what (if anything) goes back, and when.
/// </summary>
internal sealed class UdpTestResponder : IDisposable
{
    private readonly Socket _socket;
    private readonly Thread _thread;
    private readonly Action<UdpTestResponder, byte[], EndPoint> _onDatagram;
    private volatile bool _stop;
    private int _received;

    public UdpTestResponder(Action<UdpTestResponder, byte[], EndPoint> onDatagram, string host = "127.0.0.1")
    {
        _onDatagram = onDatagram;
        IPAddress address = IPAddress.Parse(host);
        _socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 100 };
        _socket.Bind(new IPEndPoint(address, 0));
        Host = host;
        _thread = new Thread(Loop) { IsBackground = true, Name = "test udp responder" };
        _thread.Start();
    }

    /// <summary>A peer that reads every datagram and never answers.</summary>
    public static UdpTestResponder Silent() => new((_, _, _) => { });

    /// <summary>A peer that echoes every datagram once, at once.</summary>
    public static UdpTestResponder Echo() => new((r, d, from) => r.Send(d, from));

    public string Host { get; }

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    public Endpoint Endpoint => new(Transport.Udp, Host, Port);

    /// <summary>Datagrams received so far.</summary>
    public int Received => Volatile.Read(ref _received);

    /// <summary>The sequence number a ping probe carries on the wire (0-based, big-endian at bytes 8-11).</summary>
    public static uint WireSeq(byte[] probe) => (uint)(probe[8] << 24 | probe[9] << 16 | probe[10] << 8 | probe[11]);

    public void Send(byte[] data, EndPoint to)
    {
        try
        {
            _socket.SendTo(data, to);
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException)
        {
            // The test is over or the pinger is gone; nobody is waiting for this datagram.
        }
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join(TimeSpan.FromSeconds(2));
        _socket.Dispose();
    }

    private void Loop()
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_stop)
        {
            int n;
            EndPoint from = any;
            try
            {
                n = _socket.ReceiveFrom(buffer, ref from);
            }
            catch (SocketException)
            {
                continue; // the 100 ms wake-up, or an ICMP error for something sent earlier
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _received);
            _onDatagram(this, buffer.AsSpan(0, n).ToArray(), from);
        }
    }
}
