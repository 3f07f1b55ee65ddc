using System;
using System.IO;
using System.Net.Security;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// The TLS stream a relay moves bytes through: one thread reads while another writes and, when its input ends, says
// close_notify. SslStream takes a lock around its own decrypt and encrypt, but not around the close_notify
// (ShutdownAsync calls SSL_shutdown bare): run while the reading thread is decrypting the session tickets a TLS 1.3
// server sends right after the handshake, OpenSSL refuses it ("shutdown while in init") and the connection's state is
// broken, so the reply fails to decrypt or is lost (about 1 exchange in 30 against openssl s_server). Here decrypting
// and close_notify exclude each other; the socket waits happen outside that lock (TlsSocketStream).
internal sealed class TlsStream : Stream, IHalfClosable
{
    private readonly SslStream _ssl;
    private readonly object _tlsState;

    public TlsStream(SslStream ssl, object tlsState)
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
        Monitor.Enter(_tlsState);
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
            Monitor.Exit(_tlsState);
        }
    }

    // The async read (recv) runs alone: nothing says close_notify beside it, so it needs no lock (a Monitor cannot
    // be held across an await anyway).
    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        try
        {
            return await _ssl.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (IsTlsFailure(e))
        {
            throw Failed(e);
        }
    }

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
        Monitor.Enter(_tlsState);
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
            Monitor.Exit(_tlsState);
        }
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
