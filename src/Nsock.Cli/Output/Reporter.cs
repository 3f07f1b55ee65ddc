using System;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary>
/// Renders engine events for a person (one status line on stderr, most only with -v) or as JSON lines.
/// JSON goes to stdout unless stdout carries the data stream, then to stderr, so the two never mix.
/// </summary>
internal sealed class Reporter : IEventSink
{
    // "event" first on every line, so a reader can dispatch before parsing the rest.
    private static readonly JsonSerializerOptions s_json = new(NsockJsonContext.Default.Options)
    {
        TypeInfoResolver = NsockJsonContext.Default.WithAddedModifier(static info =>
        {
            foreach (JsonPropertyInfo p in info.Properties)
            {
                if (p.Name == "event") p.Order = -1;
            }
        }),
    };

    private readonly object _lock = new();
    private readonly TextWriter _err;
    private readonly TextWriter? _json;
    private readonly bool _verbose;

    public Reporter(ConsoleIo io, bool json, bool verbose, bool stdoutCarriesData)
    {
        _err = io.Err;
        _verbose = verbose;
        if (json) _json = stdoutCarriesData ? io.Err : io.Out;
    }

    public bool Json => _json is not null;

    public void Emit(NsockEvent e)
    {
        lock (_lock)
        {
            if (_json is not null)
            {
                JsonTypeInfo info = s_json.GetTypeInfo(e.GetType());
                _json.WriteLine(JsonSerializer.Serialize(e, info));
                _json.Flush();
                return;
            }
            string? line = Describe(e);
            if (line is not null)
            {
                _err.WriteLine("nsock: " + line);
                _err.Flush();
            }
        }
    }

    /// <summary>A plain status line (never JSON): shown only with -v.</summary>
    public void Verbose(string message)
    {
        if (!_verbose || _json is not null) return;
        lock (_lock) _err.WriteLine("nsock: " + message);
    }

    public void Error(NsockException e, int exitCode)
    {
        if (_json is not null)
        {
            Emit(new ErrorReport(e.Kind.ToString(), e.Message, exitCode));
            return;
        }
        lock (_lock)
        {
            _err.WriteLine("nsock: " + e.Message);
            _err.Flush();
        }
    }

    private string? Describe(NsockEvent e) => e switch
    {
        ListenerReady r => $"listening on {r.Endpoint}",
        ClientConnected c when _verbose => $"connection {c.Client} from {c.Remote}",
        ClientRejected r when _verbose => $"refused {r.Remote}: {r.Reason}",
        ClientClosed c when _verbose => $"connection {c.Client} from {c.Remote} closed: {c.BytesReceived} bytes in, {c.BytesSent} out, {c.Seconds:0.###}s" + (c.Error is null ? "" : $" ({c.Error})"),
        DatagramReceived d when _verbose => $"datagram of {d.Bytes} bytes from {d.Remote}",
        Connected c when _verbose => $"connected to {c.Remote} from {c.Local}",
        SendResult s when _verbose => $"sent {s.BytesSent} bytes to {s.Remote}, received {s.BytesReceived}, {s.Seconds:0.###}s" + (s.PeerClosed ? "" : " (stopped waiting: peer did not close)"),
        ReceiveResult r when _verbose => $"received {r.Bytes} bytes in {r.Seconds:0.###}s ({r.End})",
        _ => null,
    };
}
