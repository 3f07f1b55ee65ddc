using Nsock.Core;

namespace Nsock.Cli;

/// <summary>Every exit code nsock uses, in one place (the README lists the same table).</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int IoError = 1;
    public const int BadInput = 2;
    public const int Refused = 3;
    public const int TimedOut = 4;
    public const int NameNotFound = 5;
    public const int Unreachable = 6;
    public const int Tls = 7;
    public const int NotOpen = 8;
    public const int NotSupported = 9;
    public const int Interrupted = 130;
    public const int Terminated = 143;

    public static int For(NsockErrorKind kind) => kind switch
    {
        NsockErrorKind.BadInput => BadInput,
        NsockErrorKind.Refused => Refused,
        NsockErrorKind.TimedOut => TimedOut,
        NsockErrorKind.NameNotFound => NameNotFound,
        NsockErrorKind.Unreachable => Unreachable,
        NsockErrorKind.Tls => Tls,
        NsockErrorKind.NotSupported => NotSupported,
        _ => IoError,
    };
}
