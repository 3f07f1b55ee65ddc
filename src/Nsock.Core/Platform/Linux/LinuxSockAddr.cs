#if NET
using System;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;

namespace Nsock.Core;

/// <summary>struct sockaddr_in and sockaddr_in6 for connect(2), for the code that opens sockets itself (LinuxTcpConnectBatch, LinuxConnect).</summary>
[SupportedOSPlatform("linux")]
internal static class LinuxSockAddr
{
    /// <summary>A new sockaddr for <paramref name="ep"/>.</summary>
    public static byte[] Of(IPEndPoint ep) =>
        Fill(ep, new byte[Interop.Libc.SockAddrIn4Size], new byte[Interop.Libc.SockAddrIn6Size]);

    /// <summary>
    /// Writes <paramref name="ep"/> into <paramref name="v4"/> or <paramref name="v6"/> (by its family) and returns that
    /// one: the family and scope id in the machine's byte order, the port in network order.
    /// </summary>
    public static byte[] Fill(IPEndPoint ep, byte[] v4, byte[] v6)
    {
        if (ep.AddressFamily == AddressFamily.InterNetworkV6)
        {
            Array.Clear(v6, 0, v6.Length);
            BitConverter.TryWriteBytes(v6.AsSpan(0, 2), (ushort)Interop.Libc.AF_INET6);
            BinaryPrimitives.WriteUInt16BigEndian(v6.AsSpan(2, 2), (ushort)ep.Port);
            ep.Address.TryWriteBytes(v6.AsSpan(8, 16), out _);
            BitConverter.TryWriteBytes(v6.AsSpan(24, 4), (uint)ep.Address.ScopeId);
            return v6;
        }
        Array.Clear(v4, 0, v4.Length);
        BitConverter.TryWriteBytes(v4.AsSpan(0, 2), (ushort)Interop.Libc.AF_INET);
        BinaryPrimitives.WriteUInt16BigEndian(v4.AsSpan(2, 2), (ushort)ep.Port);
        ep.Address.TryWriteBytes(v4.AsSpan(4, 4), out _);
        return v4;
    }
}
#endif
