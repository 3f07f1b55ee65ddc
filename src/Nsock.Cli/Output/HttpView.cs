using System.Text;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary>Prints an HTTP exchange as it happens: each response head on stdout before its body, the request (with --show-request) on stderr.</summary>
internal sealed class HttpView : IEventSink
{
    private readonly ConsoleIo _io;
    private readonly IEventSink _next;
    private readonly bool _printHeads;
    private readonly bool _showRequest;

    public HttpView(ConsoleIo io, IEventSink next, bool printHeads, bool showRequest)
    {
        _io = io;
        _next = next;
        _printHeads = printHeads;
        _showRequest = showRequest;
    }

    public void Emit(NsockEvent e)
    {
        switch (e)
        {
            case HttpRequestSent r when _showRequest:
                _io.Err.Write(Encoding.Latin1.GetString(r.Request));
                if (r.Request.Length > 0 && r.Request[r.Request.Length - 1] != (byte)'\n') _io.Err.WriteLine();
                _io.Err.Flush();
                break;
            case HttpHead h when _printHeads:
                var text = new StringBuilder();
                text.Append("HTTP/").Append(h.Version).Append(' ').Append(h.Status).Append(' ').Append(h.Reason).Append("\r\n");
                foreach (HttpHeader header in h.Headers) text.Append(header.Name).Append(": ").Append(header.Value).Append("\r\n");
                text.Append("\r\n");
                byte[] bytes = Encoding.Latin1.GetBytes(text.ToString());
                _io.StdOut.Write(bytes, 0, bytes.Length);
                _io.StdOut.Flush();
                break;
            case HttpRequestSent or HttpHead:
                break;
            default:
                _next.Emit(e);
                break;
        }
    }
}
