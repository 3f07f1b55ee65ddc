using System;
using System.IO;
using System.Net.Sockets;

namespace Nsock.Core;

// Turns the OS's socket errors into the engine's error kinds, with a message that names what was being done.
internal static class SocketErrors
{
    public static NsockException Classify(SocketException e, string doing) => Classify(e.SocketErrorCode, doing, e);

    public static NsockException Classify(SocketError code, string doing, Exception? inner = null) =>
        new(KindOf(code), $"{doing}: {Describe(code)}", inner);

    /// <summary>The engine's kind of error for an OS socket error.</summary>
    public static NsockErrorKind KindOf(SocketError code) => code switch
    {
        SocketError.ConnectionRefused => NsockErrorKind.Refused,
        SocketError.TimedOut => NsockErrorKind.TimedOut,
        SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown
            or SocketError.NetworkDown => NsockErrorKind.Unreachable,
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => NsockErrorKind.NameNotFound,
        SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported => NsockErrorKind.BadInput,
        _ => NsockErrorKind.Io,
    };

    /// <summary>
    /// For a connected UDP socket: an ICMP port-unreachable arrives as ECONNREFUSED on Unix and as WSAECONNRESET
    /// on Windows; both mean nobody listens on that port.
    /// </summary>
    public static NsockException ClassifyUdp(SocketException e, string doing) =>
        Classify(e.SocketErrorCode == SocketError.ConnectionReset ? SocketError.ConnectionRefused : e.SocketErrorCode, doing, e);

    /// <summary>Unwraps the IOException that NetworkStream and friends put around a SocketException.</summary>
    public static NsockException FromIo(Exception e, string doing)
    {
        if (e is NsockException ne) return ne;
        if (e is SocketException se) return Classify(se, doing);
        if (e.InnerException is SocketException inner) return Classify(inner, doing);
        if (e is IOException) return new NsockException(NsockErrorKind.Io, $"{doing}: {e.Message}", e);
        return new NsockException(NsockErrorKind.Io, $"{doing}: {e.Message}", e);
    }

    /// <summary>True for the ways a peer can vanish: reset, aborted, broken pipe.</summary>
    public static bool IsPeerGone(Exception e)
    {
        SocketException? se = e as SocketException ?? e.InnerException as SocketException;
        return se is not null && se.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted
            or SocketError.Shutdown or SocketError.NotConnected or SocketError.OperationAborted;
    }

    /// <summary>The error in the user's words ("no route to host"), the same for TCP and UDP.</summary>
    public static string Describe(SocketError code) => code switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.TimedOut => "timed out",
        SocketError.HostUnreachable => "no route to host",
        SocketError.NetworkUnreachable => "network unreachable",
        SocketError.HostDown => "host is down",
        SocketError.NetworkDown => "network is down",
        SocketError.HostNotFound => "name not found",
        SocketError.NoData => "name has no address of the requested family",
        SocketError.TryAgain => "name lookup failed temporarily",
        SocketError.AddressAlreadyInUse => "address already in use",
        SocketError.AddressNotAvailable => "address not available on this machine",
        SocketError.AddressFamilyNotSupported => "address family not supported",
        SocketError.AccessDenied => "permission denied",
        SocketError.ConnectionReset => "connection reset by peer",
        SocketError.ConnectionAborted => "connection aborted",
        SocketError.MessageSize => "datagram too large",
        _ => code.ToString(),
    };
}
