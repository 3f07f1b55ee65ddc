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
                // The head is shown for a person (--raw gives the bytes): the reason phrase and the headers are the
                // server's text, escaped so it cannot forge lines or send terminal escapes; UTF-8 in them shows as such.
                text.Append("HTTP/").Append(NsockText.PrintableWire(h.Version)).Append(' ').Append(h.Status).Append(' ').Append(NsockText.PrintableWire(h.Reason)).Append("\r\n");
                foreach (HttpHeader header in h.Headers) text.Append(NsockText.PrintableWire(header.Name)).Append(": ").Append(NsockText.PrintableWire(header.Value)).Append("\r\n");
                text.Append("\r\n");
                byte[] bytes = Encoding.UTF8.GetBytes(text.ToString());
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
