using Nsock.Core;

namespace Nsock.PowerShell;

// The engine's BadInput error for what the cmdlets check themselves (the engine's own factory is internal).
internal static class BadInput
{
    public static NsockException Error(string message) => new(NsockErrorKind.BadInput, message);
}
