using System;
using System.IO;
using System.Net.Sockets;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// The one place where failures become ErrorRecord ids and categories: what the command turns into exit codes
/// (ExitCodes.For), the module turns into categories a script can filter on with <c>-ErrorAction</c> and
/// <c>$_.CategoryInfo.Category</c>.
/// </summary>
internal static class ErrorMapping
{
    /// <summary>The error id and category for an engine error kind.</summary>
    public static ErrorInfo For(NsockErrorKind kind) => kind switch
    {
        NsockErrorKind.BadInput => new ErrorInfo("BadInput", "InvalidArgument"),
        NsockErrorKind.Refused => new ErrorInfo("ConnectionRefused", "ConnectionError"),
        NsockErrorKind.TimedOut => new ErrorInfo("TimedOut", "OperationTimeout"),
        NsockErrorKind.Unreachable => new ErrorInfo("Unreachable", "ConnectionError"),
        NsockErrorKind.NameNotFound => new ErrorInfo("NameNotFound", "ObjectNotFound"),
        NsockErrorKind.Tls => new ErrorInfo("TlsFailure", "SecurityError"),
        NsockErrorKind.NotSupported => new ErrorInfo("NotSupported", "NotImplemented"),
        // Connection resets, protocol errors, address in use: the socket side of I/O, which is nsock's.
        _ => new ErrorInfo("IoError", "ConnectionError"),
    };

    /// <summary>The error id and category for anything a cmdlet catches; null for what it must not swallow.</summary>
    public static ErrorInfo? For(Exception e) => e switch
    {
        NsockException ne => For(ne.Kind),
        SocketException => For(NsockErrorKind.Io),
        FileNotFoundException or DirectoryNotFoundException => new ErrorInfo("PathNotFound", "ObjectNotFound"),
        UnauthorizedAccessException => new ErrorInfo("AccessDenied", "PermissionDenied"),
        IOException => new ErrorInfo("FileError", "ResourceUnavailable"),
        _ => null,
    };

    /// <summary>The error id and category for a file the receiver did not take (status refused or failed).</summary>
    public static ErrorInfo ForFile(FileResult r) => r.Status == FileStatus.Refused
        ? new ErrorInfo("FileRefused", "PermissionDenied")
        : new ErrorInfo("FileNotDelivered", "WriteError");
}
