using System;
using System.IO;
using Microsoft.Win32.SafeHandles;

namespace Nsock.Cli;

/// <summary>
/// The process's standard streams, injected so commands run in-process in tests. Data moves through the raw
/// <see cref="StdIn"/>/<see cref="StdOut"/> streams (no encoding, no buffering); status text goes to <see cref="Err"/>.
/// </summary>
internal sealed class ConsoleIo
{
    public ConsoleIo(Stream stdIn, Stream stdOut, TextWriter @out, TextWriter err, bool stdInIsTerminal, bool stdErrIsTerminal = false, bool stdOutIsTerminal = false)
    {
        StdOutIsTerminal = stdOutIsTerminal;
        StdErrIsTerminal = stdErrIsTerminal;
        StdIn = stdIn;
        StdOut = stdOut;
        Out = @out;
        Err = err;
        StdInIsTerminal = stdInIsTerminal;
    }

    /// <summary>Raw bytes in.</summary>
    public Stream StdIn { get; }

    /// <summary>Raw bytes out.</summary>
    public Stream StdOut { get; }

    /// <summary>Text results on standard output (resolve, JSON lines).</summary>
    public TextWriter Out { get; }

    /// <summary>Status and errors.</summary>
    public TextWriter Err { get; }

    /// <summary>True when stderr is a terminal: then long transfers show a progress line there.</summary>
    public bool StdErrIsTerminal { get; }

    /// <summary>True when stdout is a terminal: then nsock conns --watch redraws its table in place instead of writing JSON events.</summary>
    public bool StdOutIsTerminal { get; }

    /// <summary>True when a person is typing: then a relay ends as soon as the peer closes.</summary>
    public bool StdInIsTerminal { get; }

    /// <summary>
    /// The real console. On Unix stdin is wrapped as an unbuffered FileStream, so a regular file redirected to it
    /// is seen as one and sent with sendfile(2). Stdout stays the console stream: it writes with write(2) at the
    /// shared offset, where a FileStream would pwrite at its own and overwrite what others put in the same file.
    /// </summary>
    public static ConsoleIo System()
    {
        Stream stdin = OperatingSystem.IsWindows() ? Console.OpenStandardInput() : OpenFd(0, FileAccess.Read) ?? Console.OpenStandardInput();
        Stream stdout = Console.OpenStandardOutput();
        // Text results go through a buffered writer (the Reporter flushes it); raw data goes through stdout itself.
        var textOut = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 64 * 1024) { AutoFlush = false };
        return new ConsoleIo(stdin, stdout, textOut, Console.Error, !Console.IsInputRedirected, !Console.IsErrorRedirected, !Console.IsOutputRedirected);
    }

    private static FileStream? OpenFd(int fd, FileAccess access)
    {
        try
        {
            return new FileStream(new SafeFileHandle(fd, ownsHandle: false), access, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null; // closed or unusual descriptor: the console stream copes
        }
    }
}
