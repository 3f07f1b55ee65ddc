using System.Management.Automation;

namespace Nsock.PowerShell;

/// <summary>
/// Runs when the module is removed from a session (Remove-Module, or Import-Module -Force reloading it): that
/// session's background listeners stop, so no socket outlives the cmdlets that could stop it. Listeners of
/// other sessions that still have the module keep serving.
/// </summary>
public sealed class ListenerModuleCleanup : IModuleAssemblyCleanup
{
    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo) => SocketListener.StopAll(SocketListener.CurrentOwner);
}
