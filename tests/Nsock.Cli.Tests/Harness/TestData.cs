using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Nsock.Cli.Tests;

/// <summary>Random payloads and their hashes: byte-exact transfers are checked by SHA-256.</summary>
internal static class Data
{
    public static byte[] Random(int length) => RandomNumberGenerator.GetBytes(length);

    public static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    public static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}

/// <summary>Loopback ports that were free a moment ago, for peers that cannot bind port 0 themselves.</summary>
internal static class FreePort
{
    public static int Tcp(IPAddress? address = null)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address ?? IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>A loopback TCP port nothing listens on, so a connect is refused.</summary>
    // Held open, bound but never listening, for the rest of the test run: the kernel refuses connections to it (RST),
    // and no other test's port-0 bind can be handed the same port meanwhile (a port closed right away could be, and
    // a "closed" port then answered as another test's listener).
    public static int Closed()
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        s_heldClosed.Add(socket);
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static readonly System.Collections.Concurrent.ConcurrentBag<Socket> s_heldClosed = new();

    /// <summary>A UDP port that was free a moment ago (for a socat UDP server).</summary>
    public static int Udp()
    {
        using var socket = new Socket(SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}

/// <summary>A private temporary folder, removed with everything in it on Dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Path = Directory.CreateTempSubdirectory("nsock-cli-").FullName;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process still holds something open; the OS cleans /tmp eventually.
        }
    }
}
