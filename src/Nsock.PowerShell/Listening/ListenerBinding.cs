using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// What New-SocketListener means beyond its parameters: without pipeline input there is nothing to send, so a relay
/// only captures what clients send (the command's --recv-only); every datagram is an output object (the command
/// reports them with -v or --json). The rules themselves are <see cref="ListenRequest"/>'s.
/// </summary>
internal static class ListenerBinding
{
    public static ListenRequest Apply(ListenRequest request) => request with
    {
        ReceiveOnly = !request.HasInput && !request.SendOnly,
        ReportDatagrams = true,
    };
}
