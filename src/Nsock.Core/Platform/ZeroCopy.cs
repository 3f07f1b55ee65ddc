using System;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;

namespace Nsock.Core;

// Sends a regular file through the kernel without copying it into user space: sendfile(2) on Linux, called
// directly (LinuxSendFile); sendfile on macOS and TransmitPackets on Windows behind Socket.SendPacketsAsync.
// Unavailable on netstandard2.0, where the caller falls back to the read/send loop.
internal static class ZeroCopy
{
    /// <summary>
    /// Whether <paramref name="input"/> is a file this socket can be sent zero-copy, and it pays: not to a peer on
    /// this host (PeerLocation.OnThisHost), which would pay for the cold pages itself; then the copy loop's 1 MiB reads.
    /// </summary>
    public static bool CanSend(Stream input, Socket socket)
    {
#if NET
        return input is FileStream { CanSeek: true } file && socket.SocketType == SocketType.Stream && (file.IsAsync || PathOf(file) is not null)
            && (EvenToThisHost || !PeerLocation.OnThisHost(socket));
#else
        return false;
#endif
    }

#if NET
    /// <summary>Send files zero-copy even to a peer on this host: NSOCK_ZEROCOPY=1 (to compare), or a test of the path on loopback.</summary>
    internal static bool EvenToThisHost { get; set; } = Environment.GetEnvironmentVariable("NSOCK_ZEROCOPY") == "1";
#endif

    /// <summary>
    /// Sends the file from its current position to its end; returns the bytes sent. On Linux, <paramref name="stall"/>
    /// (when more than zero) bounds a wait for the peer to take more.
    /// </summary>
    public static long Send(Socket socket, Stream input, TimeSpan stall = default)
    {
#if NET
        var file = (FileStream)input;
        long offset = file.Position;
        if (OperatingSystem.IsLinux())
        {
            // -1: this file cannot be sent with sendfile; the caller's read/send loop takes it from here.
            long sent = LinuxSendFile.Send(socket, file.SafeFileHandle, offset, -1, stall);
            if (sent < 0) return 0;
            file.Seek(offset + sent, SeekOrigin.Begin);
            return sent;
        }
        long length = file.Length - offset;
        if (length <= 0) return 0;
        using var args = new SocketAsyncEventArgs();
        // Count 0 means "to the end of the file", which also lifts SendPacketsElement's 2 GiB int limit.
        // A FileStream element must be opened for async I/O; a synchronous one (stdin, say) is sent by path.
        args.SendPacketsElements = new[]
        {
            file.IsAsync ? new SendPacketsElement(file, offset, 0, true) : new SendPacketsElement(PathOf(file)!, offset, 0, true),
        };
        using var done = new ManualResetEventSlim(false);
        args.Completed += (_, _) => done.Set();
        if (socket.SendPacketsAsync(args)) done.Wait();
        if (args.SocketError != SocketError.Success) throw new SocketException((int)args.SocketError);
        file.Seek(offset + length, SeekOrigin.Begin);
        return length;
#else
        throw new PlatformNotSupportedException();
#endif
    }

    /// <summary>
    /// Sends exactly <paramref name="count"/> bytes of <paramref name="file"/> from <paramref name="offset"/>
    /// (zero-copy where possible); on Linux, <paramref name="stall"/> bounds a wait for the peer to take more.
    /// </summary>
    public static void SendRange(Socket socket, FileStream file, long offset, long count, byte[] fallbackBuffer, TimeSpan stall = default)
    {
#if NET
        if (OperatingSystem.IsLinux() && count > 0 && socket.SocketType == SocketType.Stream
            && LinuxSendFile.Send(socket, file.SafeFileHandle, offset, count, stall) >= 0)
        {
            return;
        }
        if (!OperatingSystem.IsLinux() && CanSend(file, socket))
        {
            while (count > 0)
            {
                int piece = (int)Math.Min(count, 1L << 30);
                using var args = new SocketAsyncEventArgs();
                args.SendPacketsElements = new[]
                {
                    file.IsAsync ? new SendPacketsElement(file, offset, piece, true) : new SendPacketsElement(PathOf(file)!, offset, piece, true),
                };
                using var done = new ManualResetEventSlim(false);
                args.Completed += (_, _) => done.Set();
                if (socket.SendPacketsAsync(args)) done.Wait();
                if (args.SocketError != SocketError.Success) throw new SocketException((int)args.SocketError);
                if (args.BytesTransferred != piece) throw new IOException($"the file ended {piece - args.BytesTransferred} bytes early: it shrank while being sent");
                offset += piece;
                count -= piece;
            }
            return;
        }
#endif
        file.Seek(offset, SeekOrigin.Begin);
        while (count > 0)
        {
            int n = file.Read(fallbackBuffer, 0, (int)Math.Min(count, fallbackBuffer.Length));
            if (n == 0) throw new IOException($"the file ended {count} bytes early: it shrank while being sent");
            for (int sent = 0; sent < n;) sent += socket.Send(fallbackBuffer, sent, n - sent, SocketFlags.None);
            count -= n;
        }
    }

#if NET
    // The file's own path, or on Linux its descriptor's /proc entry (for a stream made from a handle, like stdin).
    private static string? PathOf(FileStream file)
    {
        if (Path.IsPathRooted(file.Name) && File.Exists(file.Name)) return file.Name;
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return null;
        string proc = "/proc/self/fd/" + file.SafeFileHandle.DangerousGetHandle().ToInt64();
        return File.Exists(proc) ? proc : null;
    }
#endif
}
