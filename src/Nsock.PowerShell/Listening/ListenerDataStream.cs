using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.PowerShell;

/// <summary>
/// The output stream of a background relay listener: keeps what clients send in a <see cref="CaptureStream"/>
/// (the first 16 MB) and reports each write as a data event, as the foreground form writes it, while it is kept.
/// </summary>
internal sealed class ListenerDataStream : WriteOnlyStream
{
    private readonly CaptureStream _capture;
    private readonly Decoder _decoder;
    private readonly Action<SocketListenerEvent> _event;
    private readonly object _lock = new();
    private long _reported;

    public ListenerDataStream(CaptureStream capture, Encoding encoding, Action<SocketListenerEvent> onEvent)
    {
        _capture = capture;
        _decoder = encoding.GetDecoder();
        _event = onEvent;
    }

    public override long Length => _capture.Total;

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (count <= 0) return;
        _capture.Write(buffer, offset, count);
        SocketListenerEvent? e = null;
        lock (_lock)
        {
            // Past the capture limit the bytes are counted, not kept: no more data events either.
            int keep = (int)Math.Min(count, BackgroundListener.MaxCapturedBytes - _reported);
            if (keep > 0)
            {
                _reported += keep;
                byte[] data = new byte[keep];
                Buffer.BlockCopy(buffer, offset, data, 0, keep);
                char[] chars = new char[_decoder.GetCharCount(data, 0, keep)];
                _decoder.GetChars(data, 0, keep, chars, 0);
                e = ListenerEventMapper.Data(data, new string(chars), DateTime.Now);
            }
        }
        if (e is not null) _event(e);
    }
}
