using System.Net.Sockets;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// Windows reports socket errors as WSA codes (WSAECONNREFUSED 10061, ...), which are the values of
/// <see cref="SocketError"/> on every OS, so the classification a Windows run sees is checked here (built for, not
/// run here: these are the codes Windows gives, fed in by number).
/// </summary>
public class SocketErrorsWindowsCodesTests
{
    [Theory]
    [InlineData(10061, NsockErrorKind.Refused, "connection refused")]       // WSAECONNREFUSED
    [InlineData(10060, NsockErrorKind.TimedOut, "timed out")]               // WSAETIMEDOUT
    [InlineData(10065, NsockErrorKind.Unreachable, "no route to host")]     // WSAEHOSTUNREACH
    [InlineData(10051, NsockErrorKind.Unreachable, "network unreachable")]  // WSAENETUNREACH
    [InlineData(10064, NsockErrorKind.Unreachable, "host is down")]         // WSAEHOSTDOWN
    [InlineData(11001, NsockErrorKind.NameNotFound, "name not found")]      // WSAHOST_NOT_FOUND
    [InlineData(11002, NsockErrorKind.NameNotFound, "temporarily")]         // WSATRY_AGAIN
    [InlineData(11004, NsockErrorKind.NameNotFound, "no address")]          // WSANO_DATA
    [InlineData(10049, NsockErrorKind.BadInput, "not available")]           // WSAEADDRNOTAVAIL
    [InlineData(10048, NsockErrorKind.Io, "address already in use")]        // WSAEADDRINUSE
    [InlineData(10013, NsockErrorKind.Io, "permission denied")]             // WSAEACCES
    public void A_windows_socket_error_code_maps_to_its_kind_and_a_plain_message(int wsaCode, NsockErrorKind kind, string text)
    {
        NsockException e = SocketErrors.Classify(new SocketException(wsaCode), "connecting to 127.0.0.1:9");

        Assert.Equal(kind, e.Kind);
        Assert.StartsWith("connecting to 127.0.0.1:9: ", e.Message);
        Assert.Contains(text, e.Message);
    }

    [Fact]
    public void A_udp_port_unreachable_reported_as_wsaeconnreset_means_refused()
    {
        // Windows reports an ICMP port-unreachable on a connected UDP socket as WSAECONNRESET (10054).
        NsockException e = SocketErrors.ClassifyUdp(new SocketException(10054), "pinging 127.0.0.1:9");

        Assert.Equal(NsockErrorKind.Refused, e.Kind);
        Assert.Contains("connection refused", e.Message);
    }

    [Theory]
    [InlineData(10054)] // WSAECONNRESET
    [InlineData(10053)] // WSAECONNABORTED
    [InlineData(10058)] // WSAESHUTDOWN
    [InlineData(10057)] // WSAENOTCONN
    [InlineData(995)]   // ERROR_OPERATION_ABORTED: an overlapped operation cancelled by a close
    public void A_peer_that_vanished_is_recognised_by_its_windows_code(int code)
    {
        Assert.True(SocketErrors.IsPeerGone(new SocketException(code)));
    }
}
