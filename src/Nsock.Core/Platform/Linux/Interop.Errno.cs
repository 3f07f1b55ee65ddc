namespace Nsock.Core;

internal static partial class Interop
{
    /// <summary>
    /// Linux errno values (asm-generic/errno-base.h and errno.h, shared by x86-64 and arm64) for the failures nsock
    /// tells apart; any other value still round-trips through the enum as its number.
    /// </summary>
    internal enum Errno
    {
        SUCCESS = 0,
        EINTR = 4,
        EBADF = 9,
        EAGAIN = 11,
        EACCES = 13,
        EINVAL = 22,
        ENFILE = 23,
        EMFILE = 24,
        EPIPE = 32,
        ENOSYS = 38,
        EOPNOTSUPP = 95,
        EADDRNOTAVAIL = 99,
        ENETDOWN = 100,
        ENETUNREACH = 101,
        ECONNABORTED = 103,
        ECONNRESET = 104,
        EISCONN = 106,
        ENOTCONN = 107,
        ETIMEDOUT = 110,
        ECONNREFUSED = 111,
        EHOSTDOWN = 112,
        EHOSTUNREACH = 113,
        EALREADY = 114,
        EINPROGRESS = 115,
        ENOENT = 2,
        ENXIO = 6,
        ENOTDIR = 20,
        ELOOP = 40,
    }
}
