using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace Nsock.Cli.Tests;

/// <summary>In-test loopback peers written with plain sockets: a one-client server and a round-trip client.</summary>
internal static class Loopback
{
    /// <summary>Connects (TCP, or Unix when <paramref name="endpoint"/> is a Unix endpoint), bounded by the default timeout.</summary>
    public static async Task<Socket> ConnectAsync(EndPoint endpoint)
    {
        var socket = endpoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endpoint).WaitAsync(ChildProcess.DefaultTimeout);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static Task<Socket> ConnectAsync(int port) => ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));

    /// <summary>Sends <paramref name="payload"/>, half-closes, and returns everything received until the peer closes.</summary>
    public static async Task<byte[]> RoundTripAsync(EndPoint endpoint, byte[] payload)
    {
        using Socket socket = await ConnectAsync(endpoint);
        Task send = Task.Run(async () =>
        {
            await socket.SendAsync(payload);
            socket.Shutdown(SocketShutdown.Send);
        });
        byte[] received = await ReadToEndAsync(socket);
        await send.WaitAsync(ChildProcess.DefaultTimeout);
        return received;
    }

    public static Task<byte[]> RoundTripAsync(int port, byte[] payload) => RoundTripAsync(new IPEndPoint(IPAddress.Loopback, port), payload);

    /// <summary>Everything the peer sends until it closes (bounded by the default timeout).</summary>
    public static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        using var got = new MemoryStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = await socket.ReceiveAsync(buffer).WaitAsync(ChildProcess.DefaultTimeout)) > 0) got.Write(buffer, 0, n);
        return got.ToArray();
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes (fails if the peer closes first).</summary>
    public static async Task<byte[]> ReadExactlyAsync(Socket socket, int count)
    {
        byte[] buffer = new byte[count];
        int have = 0;
        while (have < count)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(have)).AsTask().WaitAsync(ChildProcess.DefaultTimeout);
            if (n == 0) throw new EndOfStreamException($"the peer closed after {have} of {count} bytes");
            have += n;
        }
        return buffer;
    }

    /// <summary>A server for one client on a free loopback port: <paramref name="serve"/> runs with the accepted socket.</summary>
    public static OneClientServer Serve(Func<Socket, Task> serve, IPAddress? address = null) => new(serve, address ?? IPAddress.Loopback);

    internal sealed class OneClientServer : IDisposable
    {
        private readonly Socket _listener;

        public OneClientServer(Func<Socket, Task> serve, IPAddress address)
        {
            _listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            _listener.Bind(new IPEndPoint(address, 0));
            _listener.Listen(4);
            Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
            Served = Task.Run(async () =>
            {
                using Socket client = await _listener.AcceptAsync();
                await serve(client);
            });
        }

        public int Port { get; }

        /// <summary>Completes when the serve function has finished (await it bounded: <see cref="WaitAsync"/>).</summary>
        public Task Served { get; }

        public Task WaitAsync() => Served.WaitAsync(ChildProcess.DefaultTimeout);

        public void Dispose() => _listener.Dispose();
    }
}
