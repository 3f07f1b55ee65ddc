using System;
using System.IO;
using System.Net.Sockets;

namespace Nsock.Core;

// A connected stream socket as the relay's input and output (nsock forward: the target side), with blocking calls
// as the relay's threads want them. The relay half-closes it (CloseWrite) when the other side's stream ends, so
// end of stream travels through a forward both ways. It does not own the socket.
internal sealed class SocketStream : Stream, IHalfClosable
{
    private readonly Socket _socket;

    public SocketStream(Socket socket) => _socket = socket;

    /// <summary>The socket itself, for the relay's splice path (socket to socket inside the kernel).</summary>
    public Socket Socket => _socket;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => _socket.Receive(buffer, offset, count, SocketFlags.None);

    public override void Write(byte[] buffer, int offset, int count)
    {
        while (count > 0)
        {
            int n = _socket.Send(buffer, offset, count, SocketFlags.None);
            offset += n;
            count -= n;
        }
    }

    /// <summary>Shuts down the sending side: the target sees the end of the stream and may still answer.</summary>
    public void CloseWrite() => _socket.Shutdown(SocketShutdown.Send);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
