using System.Buffers;
using System.Net.Sockets;

namespace Nsock.Core;

// The buffer of one copy loop of a relay. Held for the relay's life, as the blocking loops always did; or, with
// RelayOptions.ReleaseBufferWhenIdle (a forward), taken only once bytes are waiting and given back as soon as none
// are queued, so an idle forwarded connection holds no buffer. 1 MiB reads are what make a forward's copy path as
// fast as socat -b 1048576 (128 KiB reads were 25% slower); 2 MiB held by every idle client would not do. Released
// buffers go to a pool of their own, shared by every thread: the shared pool would park each in the thread that
// returned it, the very thread that then sits idle.
internal sealed class RelayBuffer
{
    private static readonly ArrayPool<byte> s_released = ArrayPool<byte>.Create(ForwardHandler.BufferSize, maxArraysPerBucket: 16);

    private readonly int _size;
    private readonly Socket? _source;
    private readonly ArrayPool<byte> _pool;
    private byte[]? _buffer;

    /// <param name="size">Bytes per read.</param>
    /// <param name="source">The socket the loop reads, when it is one and the buffer is given back while it is idle; null: held throughout.</param>
    public RelayBuffer(int size, Socket? source)
    {
        _size = size;
        _source = source;
        _pool = source is null ? ArrayPool<byte>.Shared : s_released;
    }

    /// <summary>Whether a buffer is taken now.</summary>
    public bool Holding => _buffer is not null;

    /// <summary>The buffer to read into; when it is given back while idle, first waits (holding none) until the source has something to read or has ended.</summary>
    public byte[] Take()
    {
        if (_buffer is not null) return _buffer;
        // poll(2), not .NET's event loop: the socket stays a plain blocking one (see LinuxConnect).
        _source?.Poll(-1, SelectMode.SelectRead);
        return _buffer = _pool.Rent(_size);
    }

    /// <summary>After a chunk is passed on: gives the buffer back when nothing more is queued on the source.</summary>
    public void Release()
    {
        if (_source is null || _buffer is null || _source.Available > 0) return;
        _pool.Return(_buffer);
        _buffer = null;
    }

    /// <summary>Gives the buffer back for good.</summary>
    public void Dispose()
    {
        if (_buffer is null) return;
        _pool.Return(_buffer);
        _buffer = null;
    }
}
