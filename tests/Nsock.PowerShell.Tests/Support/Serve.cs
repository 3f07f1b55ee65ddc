using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;

namespace Nsock.PowerShell.Tests;

/// <summary>Loopback peers made with the same mapping the cmdlets use: port 0, 127.0.0.1, bounded.</summary>
internal static class Serve
{
    /// <summary>A bound loopback listener for <paramref name="p"/> (LocalAddress and Port are set here).</summary>
    public static async Task<(Listener Listener, ListenerOptions Options)> BindAsync(ListenRequest p)
    {
        ListenerOptions options = Options(p with { LocalAddress = "127.0.0.1", Port = 0 });
        using var cts = new CancellationTokenSource(Limits.Wait);
        return (await Listener.BindAsync(options, cts.Token), options);
    }

    /// <summary>The options New-SocketListener would build from <paramref name="p"/>.</summary>
    public static ListenerOptions Options(ListenRequest p) => ListenerBinding.Apply(p).Validate(ParameterNames.Instance).Options;

    /// <summary>A background listener, as New-SocketListener -Background starts it (without its PowerShell job).</summary>
    public static async Task<BackgroundListener> BackgroundAsync(ListenRequest p, IReadOnlyList<byte[]>? input = null, TimeSpan? lifetime = null, IListenerEvents? events = null)
    {
        (Listener listener, ListenerOptions options) = await BindAsync(p);
        return BackgroundListener.Start(listener, options, input, EncodingNames.Default, lifetime, events);
    }

    public static Endpoint Tcp(int port) => new(Transport.Tcp, "127.0.0.1", port);

    public static Endpoint Udp(int port) => new(Transport.Udp, "127.0.0.1", port);

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds; false if it never did.</summary>
    public static bool Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Limits.Wait;
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return true;
            Thread.Sleep(20);
        }
        return condition();
    }

    /// <summary>A loopback TCP port nothing listens on (connections to it are refused).</summary>
    // Held open, bound but never listening, for the rest of the test run: the kernel refuses connections to it (RST),
    // and no other test's port-0 bind can be handed the same port meanwhile (a port closed right away could be, and
    // a "closed" port then answered as another test's listener).
    public static int ClosedTcpPort()
    {
        var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        s.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        s_heldClosed.Add(s);
        return ((System.Net.IPEndPoint)s.LocalEndPoint!).Port;
    }

    private static readonly System.Collections.Concurrent.ConcurrentBag<System.Net.Sockets.Socket> s_heldClosed = new();
}
