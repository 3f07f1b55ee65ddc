using System;
using System.IO;
using System.Net.Security;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// The TLS stream a relay moves bytes through: one side reads while another writes and, when its input ends, says
// close_notify. SslStream takes a lock around its own decrypt and encrypt, but not around the close_notify
// (ShutdownAsync calls SSL_shutdown bare): run while the reading side is decrypting the session tickets a TLS 1.3
// server sends right after the handshake, OpenSSL refuses it ("shutdown while in init") and the connection's state is
// broken, so the reply fails to decrypt or is lost (about 1 exchange in 30 against openssl s_server). Here decrypting
// and close_notify exclude each other (TlsStateLock), blocking or async alike; the socket waits happen outside that
// lock (TlsSocketStream).
internal sealed class TlsStream : Stream, IHalfClosable
{
    private readonly SslStream _ssl;
    private readonly TlsStateLock _tlsState;

    public TlsStream(SslStream ssl, TlsStateLock tlsState)
    {
        _ssl = ssl;
        _tlsState = tlsState;
    }

    public SslStream Ssl => _ssl;

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        _tlsState.Enter(TlsTurn.Reading);
        try
        {
            return _ssl.Read(buffer, offset, count);
        }
        catch (IOException e) when (IsTlsFailure(e))
        {
            throw Failed(e);
        }
        finally
        {
            _tlsState.Exit();
        }
    }

#if NET
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>
    /// Reads, taking turns with the close_notify as <see cref="Read(byte[], int, int)"/> does. An empty
    /// <paramref name="buffer"/> waits, holding no buffer, until bytes are decrypted or the stream has ended, and
    /// returns 0 in both cases: the read that follows says which.
    /// </summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _tlsState.EnterAsync(TlsTurn.Reading).ConfigureAwait(false);
        try
        {
            return await _ssl.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (IsTlsFailure(e))
        {
            throw Failed(e);
        }
        finally
        {
            _tlsState.Exit();
        }
    }
#else
    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        await _tlsState.EnterAsync(TlsTurn.Reading).ConfigureAwait(false);
        try
        {
            return await _ssl.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (IsTlsFailure(e))
        {
            throw Failed(e);
        }
        finally
        {
            _tlsState.Exit();
        }
    }
#endif

    public override void Write(byte[] buffer, int offset, int count)
    {
        try
        {
            _ssl.Write(buffer, offset, count);
        }
        catch (IOException e) when (IsTlsFailure(e))
        {
            throw Failed(e);
        }
    }

    public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        try
        {
            await _ssl.WriteAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (IsTlsFailure(e))
        {
            throw Failed(e);
        }
    }

#if NET
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await _ssl.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (IsTlsFailure(e))
        {
            throw Failed(e);
        }
    }
#endif

    // A failure of TLS itself (an alert from the peer, a record that does not decrypt), not of the socket under it: a
    // TLS 1.3 server that refuses the client's certificate says so only after the client's handshake has finished,
    // in an alert the first read meets ("certificate required"). Exit 7 with the TLS library's words for it.
    private static bool IsTlsFailure(IOException e) => e.InnerException is not (null or System.Net.Sockets.SocketException);

    private static NsockException Failed(IOException e)
    {
        Exception inner = e;
        while (inner.InnerException is not null) inner = inner.InnerException;
        return new NsockException(NsockErrorKind.Tls, $"TLS failed after the handshake: {inner.Message.Trim()}", e);
    }

    public override void Flush() => _ssl.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _ssl.FlushAsync(cancellationToken);

    /// <summary>Sends close_notify (not on netstandard2.0, which cannot); the caller's TCP FIN follows.</summary>
    public void CloseWrite()
    {
#if NET
        _tlsState.Enter(TlsTurn.ClosingWrite);
        try
        {
            _ssl.ShutdownAsync().GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // A peer already gone (OpenSSL's own exception type is internal to the runtime): the FIN says it, or the
            // relay's reading side reports the failure.
        }
        finally
        {
            _tlsState.Exit();
        }
#endif
    }

    /// <summary>As <see cref="CloseWrite"/>, with no thread waiting.</summary>
    public async Task CloseWriteAsync()
    {
#if NET
        await _tlsState.EnterAsync(TlsTurn.ClosingWrite).ConfigureAwait(false);
        try
        {
            await _ssl.ShutdownAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // As in CloseWrite.
        }
        finally
        {
            _tlsState.Exit();
        }
#else
        await Task.CompletedTask.ConfigureAwait(false);
#endif
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _ssl.Dispose();
        base.Dispose(disposing);
    }
}
