using System;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// The socket under a TlsStream. The thread that holds the TLS state's lock (see TlsStream) lets it go for as long as
// it waits on the socket: the lock guards the TLS library's state, never a network wait, so a close_notify blocked
// on a full send buffer cannot stop the reading thread from draining the peer (which may be what unblocks it).
internal sealed class TlsSocketStream : NetworkStream
{
    private readonly object _tlsState;

    public TlsSocketStream(Socket socket, object tlsState)
        : base(socket, ownsSocket: false)
    {
        _tlsState = tlsState;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        bool held = Release();
        try
        {
            return base.Read(buffer, offset, count);
        }
        finally
        {
            if (held) Monitor.Enter(_tlsState);
        }
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        bool held = Release();
        try
        {
            base.Write(buffer, offset, count);
        }
        finally
        {
            if (held) Monitor.Enter(_tlsState);
        }
    }

#if NET
    public override int Read(Span<byte> buffer)
    {
        bool held = Release();
        try
        {
            return base.Read(buffer);
        }
        finally
        {
            if (held) Monitor.Enter(_tlsState);
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        bool held = Release();
        try
        {
            base.Write(buffer);
        }
        finally
        {
            if (held) Monitor.Enter(_tlsState);
        }
    }

    // SslStream.ShutdownAsync writes its close_notify with WriteAsync on the calling thread: under the lock, the
    // write is done here synchronously with the lock let go (that thread is a blocking pump anyway).
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!Monitor.IsEntered(_tlsState)) return base.WriteAsync(buffer, cancellationToken);
        Write(buffer.Span);
        return default;
    }
#endif

    private bool Release()
    {
        if (!Monitor.IsEntered(_tlsState)) return false;
        Monitor.Exit(_tlsState);
        return true;
    }
}
