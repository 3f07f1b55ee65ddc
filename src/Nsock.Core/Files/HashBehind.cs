using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace Nsock.Core;

// Hashes full buffers on a thread of its own, in the order they were handed over, while the receiving thread
// goes on receiving and writing: the receiver then takes about as long as the slower of hashing and I/O, not
// their sum. Plain locks and Monitor.Wait: nothing spins while waiting.
internal sealed class HashBehind
{
    private readonly FileDigest _hash;
    private readonly Queue<(byte[] Buffer, int Count)> _full = new();
    private readonly Stack<byte[]> _free = new();
    private readonly Thread _thread;
    private bool _finished;
    private Exception? _failure;

    public HashBehind(FileDigest hash, int buffers, int size)
    {
        _hash = hash;
        for (int i = 0; i < buffers; i++) _free.Push(new byte[size]);
        _thread = new Thread(Run) { IsBackground = true, Name = "nsock hash" };
        _thread.Start();
    }

    /// <summary>A buffer to fill; waits while the hasher is every buffer behind.</summary>
    public byte[] Rent()
    {
        lock (_free)
        {
            while (_free.Count == 0 && _failure is null) Monitor.Wait(_free);
            if (_failure is not null) throw new IOException("hashing failed: " + _failure.Message, _failure);
            return _free.Pop();
        }
    }

    /// <summary>Hands over the first <paramref name="count"/> bytes of a rented buffer, to be hashed next.</summary>
    public void Add(byte[] buffer, int count)
    {
        lock (_full)
        {
            _full.Enqueue((buffer, count));
            Monitor.Pulse(_full);
        }
    }

    /// <summary>Waits until every buffer handed over is hashed.</summary>
    public void Finish()
    {
        lock (_full)
        {
            _finished = true;
            Monitor.Pulse(_full);
        }
        _thread.Join();
        if (_failure is not null) throw new IOException("hashing failed: " + _failure.Message, _failure);
    }

    private void Run()
    {
        try
        {
            while (true)
            {
                (byte[] buffer, int count) item;
                lock (_full)
                {
                    while (_full.Count == 0 && !_finished) Monitor.Wait(_full);
                    if (_full.Count == 0) return;
                    item = _full.Dequeue();
                }
                _hash.Append(item.buffer, 0, item.count);
                lock (_free)
                {
                    _free.Push(item.buffer);
                    Monitor.Pulse(_free);
                }
            }
        }
        catch (Exception e)
        {
            // Never an unhandled exception on a thread of ours: the receiving thread reports it.
            lock (_free)
            {
                _failure = e;
                Monitor.PulseAll(_free);
            }
        }
    }
}
