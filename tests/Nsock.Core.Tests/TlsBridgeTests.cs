using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// The TLS listener's bridge on its own, between a real TLS client on loopback and the socket a mode serves: once the
/// mode is done with a client, its last bytes still reach a client that reads them late, and a client that stays
/// silent after the close_notify is closed when the close grace is up instead of being held forever.
/// </summary>
public sealed class TlsBridgeTests : IDisposable
{
    private readonly X509Certificate2 _certificate = SelfSignedCertificate.Create("localhost");

    public void Dispose() => _certificate.Dispose();

    [Fact]
    public async Task A_client_silent_after_the_close_notify_is_closed_once_the_close_grace_is_up()
    {
        using Pair pair = await Pair.StartAsync(_certificate, closeGrace: TimeSpan.FromSeconds(1));
        pair.Bridge.Served.Send("bye"u8);
        pair.Bridge.Served.Dispose(); // the mode is done with the client
        Task release = pair.Bridge.ReleaseAsync();

        byte[] got = await ReadToEndAsync(pair.Client);
        Assert.Equal("bye", System.Text.Encoding.ASCII.GetString(got)); // then close_notify: the client says nothing

        await release.WaitAsync(Limits.Wait); // not held forever
        Assert.True(await IsResetAsync(pair.ClientSocket), "the client's connection is still open after the close grace");
    }

    [Fact]
    public async Task The_last_bytes_reach_a_client_that_reads_them_after_the_mode_has_closed()
    {
        // Small TCP buffers and a big socket pair buffer: most of the mode's last bytes wait in the bridge's socket pair
        // when the mode closes, for a client that has not read yet. Ending the bridge at once would lose them.
        using Pair pair = await Pair.StartAsync(_certificate, TlsBridge.CloseGrace, tcpBuffer: 64 * 1024);
        pair.Bridge.Served.SendBufferSize = 4 * 1024 * 1024;
        byte[] last = Payload.Bytes(1024 * 1024, seed: 16);
        int sent = 0;
        while (sent < last.Length) sent += await pair.Bridge.Served.SendAsync(last.AsMemory(sent), SocketFlags.None).AsTask().WaitAsync(Limits.Wait);
        pair.Bridge.Served.Dispose();
        Task release = pair.Bridge.ReleaseAsync();

        byte[] got = await ReadToEndAsync(pair.Client);
        Assert.Equal(last.Length, got.Length);
        Assert.Equal(Payload.Sha256(last), Payload.Sha256(got));

        // The client closes in turn: the bridge ends at once, well inside its grace.
        await pair.Client.ShutdownAsync();
        pair.ClientSocket.Shutdown(SocketShutdown.Send);
        await release.WaitAsync(Limits.Wait);
    }

    [Fact]
    public async Task Bytes_cross_both_ways_and_each_half_close_reaches_the_other_side()
    {
        using Pair pair = await Pair.StartAsync(_certificate, TlsBridge.CloseGrace);
        Socket mode = pair.Bridge.Served;
        byte[] up = Payload.Bytes(4 * 1024 * 1024, seed: 1); // enough full records in a row for the bulk reader
        byte[] down = Payload.Bytes(200 * 1024, seed: 2);

        // The client sends and says close_notify; the mode reads it all to its end of stream, then answers and closes.
        Task client = Task.Run(async () =>
        {
            await pair.Client.WriteAsync(up);
            await pair.Client.ShutdownAsync();
        });
        byte[] atMode = await ReadSocketToEndAsync(mode);
        await client.WaitAsync(Limits.Wait);
        Assert.Equal(Payload.Sha256(up), Payload.Sha256(atMode));

        int sent = 0;
        while (sent < down.Length) sent += await mode.SendAsync(down.AsMemory(sent), SocketFlags.None).AsTask().WaitAsync(Limits.Wait);
        mode.Shutdown(SocketShutdown.Send);
        byte[] atClient = await ReadToEndAsync(pair.Client);
        Assert.Equal(Payload.Sha256(down), Payload.Sha256(atClient));

        mode.Dispose();
        await pair.Bridge.ReleaseAsync().WaitAsync(Limits.Wait);
    }

    private static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        var all = new MemoryStream();
        byte[] buffer = new byte[16384];
        int n;
        while ((n = await stream.ReadAsync(buffer).AsTask().WaitAsync(Limits.Wait)) > 0) all.Write(buffer, 0, n);
        return all.ToArray();
    }

    private static async Task<byte[]> ReadSocketToEndAsync(Socket socket)
    {
        var all = new MemoryStream();
        byte[] buffer = new byte[16384];
        int n;
        while ((n = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(Limits.Wait)) > 0) all.Write(buffer, 0, n);
        return all.ToArray();
    }

    // A closed peer answers bytes with a reset; one that only half-closed takes them. A few sends, bounded.
    private static async Task<bool> IsResetAsync(Socket socket)
    {
        for (int i = 0; i < 50; i++)
        {
            try
            {
                socket.Send(new byte[] { 0x17 });
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted)
            {
                return true;
            }
            await Task.Delay(20);
        }
        return false;
    }

    // A TLS client and the server end of its connection, bridged.
    private sealed class Pair : IDisposable
    {
        private Pair(Socket clientSocket, SslStream client, TlsBridge bridge)
        {
            ClientSocket = clientSocket;
            Client = client;
            Bridge = bridge;
        }

        public Socket ClientSocket { get; }
        public SslStream Client { get; }
        public TlsBridge Bridge { get; }

        public static async Task<Pair> StartAsync(X509Certificate2 certificate, TimeSpan closeGrace, int? tcpBuffer = null)
        {
            using Socket listener = Loopback.ListenTcp();
            var clientSocket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            if (tcpBuffer is int size) clientSocket.ReceiveBufferSize = size;
            await clientSocket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, listener.Port())).WaitAsync(Limits.Wait);
            Socket network = await listener.AcceptAsync().WaitAsync(Limits.Wait);
            if (tcpBuffer is int send) network.SendBufferSize = send;

            var state = new TlsStateLock();
            var server = new SslStream(new TlsSocketStream(network, state), leaveInnerStreamOpen: false);
            var client = new SslStream(new NetworkStream(clientSocket, ownsSocket: false), leaveInnerStreamOpen: false, (_, _, _, _) => true);
            await Task.WhenAll(
                server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }),
                client.AuthenticateAsClientAsync("localhost")).WaitAsync(Limits.Wait);
            return new Pair(clientSocket, client, TlsBridge.Start(network, new TlsStream(server, state), CancellationToken.None, closeGrace));
        }

        public void Dispose()
        {
            Client.Dispose();
            ClientSocket.Dispose();
            Bridge.Served.Dispose();
        }
    }
}
