using System;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// The socket under a TlsStream. Whoever holds the TLS state's lock (see TlsStateLock) lets it go for as long as it
// waits on the socket: the lock guards the TLS library's state, never a network wait, so a close_notify blocked on a
// full send buffer cannot stop the reading side from draining the peer (which may be what unblocks it), and a reader
// waiting for a quiet peer cannot hold up the close_notify. Only the reading side reads the socket, and while the lock
// is held only the close_notify writes it, so the holder's turn says whose wait this is.
internal sealed class TlsSocketStream : NetworkStream
{
    private readonly TlsStateLock _tlsState;

    public TlsSocketStream(Socket socket, TlsStateLock tlsState)
        : base(socket, ownsSocket: false)
    {
        _tlsState = tlsState;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        bool held = Release(TlsTurn.Reading);
        try
        {
            return base.Read(buffer, offset, count);
        }
        finally
        {
            if (held) _tlsState.Enter(TlsTurn.Reading);
        }
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        bool held = Release(TlsTurn.ClosingWrite);
        try
        {
            base.Write(buffer, offset, count);
        }
        finally
        {
            if (held) _tlsState.Enter(TlsTurn.ClosingWrite);
        }
    }

#if NET
    public override int Read(Span<byte> buffer)
    {
        bool held = Release(TlsTurn.Reading);
        try
        {
            return base.Read(buffer);
        }
        finally
        {
            if (held) _tlsState.Enter(TlsTurn.Reading);
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        bool held = Release(TlsTurn.ClosingWrite);
        try
        {
            base.Write(buffer);
        }
        finally
        {
            if (held) _tlsState.Enter(TlsTurn.ClosingWrite);
        }
    }

    // The async forms (the TLS listener's bridge; SslStream.ShutdownAsync writes its close_notify with WriteAsync): a
    // call that completes at once (data already there, room in the send buffer) keeps the lock; one that must wait lets
    // it go until it is done. A zero-byte read (SslStream waits that way before it rents its buffer for a record) is
    // checked for a stale wake-up, as SocketIo.WaitReadableAsync checks its waits: one that ended at once is believed
    // when poll(2) agrees, any other waits again until something is really there. No allocation on the first path.
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ValueTask<int> read = base.ReadAsync(buffer, cancellationToken);
        if (read.IsCompleted && (!buffer.IsEmpty || !read.IsCompletedSuccessfully || SocketIo.ReadableNow(Socket))) return read;
        bool letGo = _tlsState.IsHeldFor(TlsTurn.Reading);
        return letGo || buffer.IsEmpty ? WaitAsync(read, buffer.IsEmpty, letGo, cancellationToken) : read;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ValueTask write = base.WriteAsync(buffer, cancellationToken);
        return write.IsCompleted || !_tlsState.IsHeldFor(TlsTurn.ClosingWrite) ? write : WaitLetGoAsync(write);
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> WaitAsync(ValueTask<int> read, bool zeroByte, bool letGo, CancellationToken cancellationToken)
    {
        if (letGo) _tlsState.Exit();
        try
        {
            int n = await read.ConfigureAwait(false);
            if (zeroByte) await SocketIo.RecheckReadableAsync(Socket, cancellationToken).ConfigureAwait(false);
            return n;
        }
        finally
        {
            if (letGo) await _tlsState.EnterAsync(TlsTurn.Reading).ConfigureAwait(false);
        }
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WaitLetGoAsync(ValueTask write)
    {
        _tlsState.Exit();
        try
        {
            await write.ConfigureAwait(false);
        }
        finally
        {
            await _tlsState.EnterAsync(TlsTurn.ClosingWrite).ConfigureAwait(false);
        }
    }
#endif

    private bool Release(TlsTurn turn)
    {
        if (!_tlsState.IsHeldFor(turn)) return false;
        _tlsState.Exit();
        return true;
    }
}
