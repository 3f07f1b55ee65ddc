using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// Sends a regular file through the kernel without copying it into user space: sendfile(2) on Linux and
// macOS, TransmitPackets on Windows, both behind Socket.SendPacketsAsync. Unavailable on netstandard2.0,
// where the caller falls back to the read/send loop.
internal static class ZeroCopy
{
    public static bool CanSend(Stream input, Socket socket)
    {
#if NET
        return input is FileStream { CanSeek: true } && socket.SocketType == SocketType.Stream;
#else
        return false;
#endif
    }

    /// <summary>Sends the file from its current position to its end; returns the bytes sent.</summary>
    public static long Send(Socket socket, Stream input)
    {
#if NET
        var file = (FileStream)input;
        long offset = file.Position;
        long length = file.Length - offset;
        if (length <= 0) return 0;
        using var args = new SocketAsyncEventArgs();
        // Count 0 means "to the end of the file", which also lifts SendPacketsElement's 2 GiB int limit.
        args.SendPacketsElements = new[] { new SendPacketsElement(file, offset, 0, true) };
        using var done = new ManualResetEventSlim(false);
        args.Completed += (_, _) => done.Set();
        if (socket.SendPacketsAsync(args)) done.Wait();
        if (args.SocketError != SocketError.Success) throw new SocketException((int)args.SocketError);
        file.Seek(offset + length, SeekOrigin.Begin);
        return length;
#else
        throw new System.PlatformNotSupportedException();
#endif
    }
}
