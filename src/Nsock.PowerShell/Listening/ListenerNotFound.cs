using System.Management.Automation;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>The error Get-SocketListener and Stop-SocketListener write for an id or a name this session has no listener for.</summary>
internal static class ListenerNotFound
{
    public static ErrorRecord ForId(int id) => Record($"no socket listener with id {id} in this session", id);

    public static ErrorRecord ForName(string name) => Record($"no socket listener named '{name}' in this session", name);

    private static ErrorRecord Record(string message, object target) =>
        new(new NsockException(NsockErrorKind.BadInput, message), "ListenerNotFound", ErrorCategory.ObjectNotFound, target);
}
