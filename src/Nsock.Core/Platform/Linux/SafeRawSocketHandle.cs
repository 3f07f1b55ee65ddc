using System;
using System.Runtime.InteropServices;
#if NET
using System.Runtime.Versioning;
#endif

namespace Nsock.Core;

/// <summary>
/// A socket descriptor nsock opened itself with socket(2) (the Linux probe batch), closed with close(2) when disposed
/// or, should its owner fail first, finalized. 0 is a valid descriptor; -1 is none.
/// </summary>
#if NET
[SupportedOSPlatform("linux")]
#endif
internal sealed class SafeRawSocketHandle : SafeHandle
{
    // The generated marshalling creates the handle before the call and sets the descriptor after it.
    public SafeRawSocketHandle()
        : base(new IntPtr(-1), ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>The descriptor, for a pollfd; valid while the handle is open.</summary>
    public int Fd => (int)handle;

    protected override bool ReleaseHandle() => Interop.Libc.Close((int)handle) == 0;
}
