using System;
using System.IO;
using System.Net.Sockets;

namespace Nsock.Core;

// A forward's TLS target as the relay's input and output, as SocketStream is a plain target: the bytes go through TLS,
// and the client's end of stream reaches the target as close_notify, then FIN (the half-close a TLS peer reads as the
// end either way), so a request/response over a half-close works through the forward. It owns neither the TLS stream
// nor the socket: the forward closes both.
internal sealed class TlsTargetStream : Stream, IHalfClosable
{
    private readonly TlsStream _tls;
    private readonly Socket _socket;

    public TlsTargetStream(TlsStream tls, Socket socket)
    {
        _tls = tls;
        _socket = socket;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => _tls.Read(buffer, offset, count);

    public override void Write(byte[] buffer, int offset, int count) => _tls.Write(buffer, offset, count);

    public void CloseWrite()
    {
        _tls.CloseWrite();
        _socket.Shutdown(SocketShutdown.Send);
    }

    public override void Flush() => _tls.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
