#if NET
using System.Runtime.InteropServices;

namespace Nsock.Core;

// poll(2) for the raw Linux paths (probe batch, sendfile): one declaration of the struct and the call.
internal static class LinuxPoll
{
    public const short POLLOUT = 4, POLLERR = 8, POLLHUP = 16;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static extern int Poll([In, Out] PollFd[] fds, nuint count, int timeoutMs);

    [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static extern int Poll(ref PollFd fd, nuint count, int timeoutMs);
}
#endif
