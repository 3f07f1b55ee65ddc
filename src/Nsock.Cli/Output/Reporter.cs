using System;
using System.Globalization;
using System.IO;
using System.Threading;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary>
/// Renders engine events for a person (one status line on stderr, most only with -v) or as JSON lines.
/// JSON goes to stdout unless stdout carries the data stream, then to stderr, so the two never mix. Every text line
/// passes peer-chosen text through <see cref="NsockText.Printable"/> (JSON is escaped by <see cref="JsonEventWriter"/>).
/// </summary>
internal sealed class Reporter : IEventSink
{
    // Results come in bursts (a thousand probe results in a few milliseconds): they are written to a buffered
    // writer and flushed at most 50 ms later, a write per burst instead of one per line, while a person
    // watching still sees them at once. A listener's ready event is flushed immediately: scripts wait on it.
    private static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(50);

    private readonly object _lock = new();
    private readonly TextWriter _err;
    private readonly TextWriter _out;
    private readonly TextWriter? _json;
    private JsonEventWriter? _jsonWriter;
    private readonly bool _verbose;
    private readonly bool _progress;
    private bool _progressShown;
    private Thread? _flusher;
    private bool _flushPending;

    public Reporter(ConsoleIo io, bool json, bool verbose, bool stdoutCarriesData)
    {
        _err = io.Err;
        _out = io.Out;
        _verbose = verbose;
        _progress = io.StdErrIsTerminal && !json;
        if (json) _json = stdoutCarriesData ? io.Err : io.Out;
    }

    /// <summary>Writes out whatever is buffered (called by the flusher, and once when the command ends).</summary>
    public void Flush()
    {
        lock (_lock)
        {
            _flushPending = false;
            _out.Flush();
            _json?.Flush();
            _err.Flush();
        }
    }

    private void FlushSoon(bool now)
    {
        if (now)
        {
            _flushPending = false;
            _out.Flush();
            _json?.Flush();
            return;
        }
        if (_flushPending) return;
        _flushPending = true;
        if (_flusher is null)
        {
            _flusher = new Thread(FlushLoop) { IsBackground = true, Name = "nsock output" };
            _flusher.Start();
        }
        else
        {
            Monitor.Pulse(_lock);
        }
    }

    // One plain thread, started with the first buffered line, writes it out within FlushDelay. (A
    // System.Threading.Timer costs a timer thread plus thread-pool workers when it fires: a tenth of a
    // thousand-port probe's run.)
    private void FlushLoop()
    {
        lock (_lock)
        {
            while (true)
            {
                while (!_flushPending) Monitor.Wait(_lock);
                Monitor.Wait(_lock, FlushDelay);
                if (!_flushPending) continue;
                _flushPending = false;
                _out.Flush();
                _json?.Flush();
                _err.Flush();
            }
        }
    }

    public bool Json => _json is not null;

    public void Emit(NsockEvent e)
    {
        lock (_lock)
        {
            if (_json is not null)
            {
                _jsonWriter ??= new JsonEventWriter();
                _json.WriteLine(_jsonWriter.ToLine(e));
                FlushSoon(now: e is ListenerReady or ErrorReport);
                return;
            }
            if (e is FileStarted or FileProgress)
            {
                if (_progress) RenderProgress(e);
                return;
            }
            if (_progressShown && e is FileResult)
            {
                _err.Write("\r\u001b[K");
                _progressShown = false;
            }
            if (e is PortProbeResult probe)
            {
                WriteProbeLine(probe);
                FlushSoon(now: false);
                return;
            }
            string? result = ResultLine(e);
            if (result is not null)
            {
                _out.WriteLine(result);
                FlushSoon(now: false);
                return;
            }
            string? line = Describe(e);
            if (line is not null)
            {
                _err.WriteLine("nsock: " + NsockText.Printable(line));
                // A TLS listener's certificate, on a line of its own: what a client pins (--pin) or compares.
                if (e is ListenerReady { TlsKeyPin: string pin } ready)
                    _err.WriteLine($"nsock: TLS key pin {pin}, certificate SHA-256 {ready.TlsCertificateSha256}, expires {ready.TlsNotAfter:yyyy-MM-dd HH:mm:ss}Z");
                _err.Flush();
            }
        }
    }

    // One line on the terminal, rewritten in place: file, bytes, rate, time left, and the total.
    private void RenderProgress(NsockEvent e)
    {
        if (e is not FileProgress p) return;
        double left = p.BytesPerSecond > 0 ? (p.Size - p.Bytes) / p.BytesPerSecond : 0;
        string line = $"{NsockText.Printable(p.Path)}: {p.Bytes * 100.0 / System.Math.Max(1, p.Size):0}% {Rate(p.BytesPerSecond)} {left:0}s left; total {p.TotalBytes * 100.0 / System.Math.Max(1, p.TotalSize):0}%";
        _err.Write("\r\u001b[K" + line);
        _err.Flush();
        _progressShown = true;
    }

    /// <summary>A plain status line (never JSON): shown only with -v.</summary>
    public void Verbose(string message)
    {
        if (!_verbose || _json is not null) return;
        lock (_lock) _err.WriteLine("nsock: " + NsockText.Printable(message));
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
            _err.WriteLine("nsock: " + NsockText.Printable(e.Message));
            _err.Flush();
        }
    }

    // Results of ping and probe are the command's output: stdout, always.
    private static string? ResultLine(NsockEvent e) => e switch
    {
        PingReply r => r.Protocol == Transport.Tcp
            ? $"connected to {r.From}: seq={r.Seq} time={Ms(r.RttMs)} ms" + (r.TlsMs is double tls ? $" tls={Ms(tls)} ms" : "")
            : $"{r.Bytes} bytes from {r.From}: seq={r.Seq} time={Ms(r.RttMs)} ms",
        PingLost l => $"no reply for seq={l.Seq}: {l.Reason}",
        PingSummary s => $"--- {s.Target} ping statistics ---\n" +
            $"{s.Sent} probes sent, {s.Received} replies, {s.LossPercent:0.##}% loss, {s.Refused} refused, {s.Unreachable} unreachable, {s.Duplicates} duplicates, {s.Reordered} reordered, {s.Late} late, {s.Foreign} foreign\n" +
            (s.Received == 0 ? "no round-trip times: nothing came back" :
                $"rtt min/avg/max/mdev = {Ms(s.MinMs)}/{Ms(s.AvgMs)}/{Ms(s.MaxMs)}/{Ms(s.StdDevMs)} ms, jitter {Ms(s.JitterMs)} ms, p50/p90/p99 = {Ms(s.P50Ms)}/{Ms(s.P90Ms)}/{Ms(s.P99Ms)} ms"),
        FileResult f => $"{f.Status.ToText()} {NsockText.Printable(f.Path)}: {f.Size} bytes" + (f.Digest is null || f.Algorithm is not FileHashAlgorithm a ? "" : $" {a.ToText()}={f.Digest}") + (f.Verified ? " verified" : "")
            + (f.ResumedFrom > 0 ? $" (resumed at {f.ResumedFrom})" : "") + (f.Seconds > 0 && f.Verified ? $" in {f.Seconds:0.###}s ({Rate(f.BytesPerSecond)})" : "")
            + (f.Reason is null ? "" : $": {NsockText.Printable(f.Reason)}"),
        _ => null,
    };

    // "target (address) port/protocol state latency ms", written piece by piece: a thousand-port probe prints a
    // thousand of these, and building each as a string first was a fifth of its run time outside the kernel.
    private void WriteProbeLine(PortProbeResult p)
    {
        _out.Write(p.Target);
        if (p.Address is not null && p.Address != p.Target)
        {
            _out.Write(" (");
            _out.Write(p.Address);
            _out.Write(')');
        }
        _out.Write(' ');
        _out.Write(p.Port);
        _out.Write('/');
        _out.Write(p.Protocol.ToText());
        _out.Write(' ');
        _out.Write(p.StateText);
        if (p.LatencyMs is double ms)
        {
            Span<char> digits = stackalloc char[32];
            _out.Write(' ');
            if (ms.TryFormat(digits, out int n, ms < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture)) _out.Write(digits.Slice(0, n));
            else _out.Write(Ms(ms));
            _out.Write(" ms");
        }
        if (p.Tls is TlsCheck t)
        {
            _out.Write(t.SpeaksTls
                ? $" tls subject='{NsockText.Printable(t.Subject ?? "")}' expires {t.NotAfter:yyyy-MM-dd} ({t.DaysLeft} days left){(t.Verified ? " verified" : $" NOT verified: {NsockText.Printable(t.Problem ?? "")}")}"
                : $" no tls: {NsockText.Printable(t.Problem ?? "")}");
        }
        if (p.State is PortState.Unresolved && p.Detail is not null)
        {
            _out.Write(" (");
            _out.Write(NsockText.Printable(p.Detail));
            _out.Write(')');
        }
        _out.WriteLine();
    }

    internal static string Rate(double bytesPerSecond) => bytesPerSecond >= 1e9 ? $"{bytesPerSecond / 1e9:0.00} GB/s"
        : bytesPerSecond >= 1e6 ? $"{bytesPerSecond / 1e6:0.0} MB/s" : $"{bytesPerSecond / 1e3:0.0} kB/s";

    private static string Ms(double? ms) => ms is double v ? v.ToString(v < 10 ? "0.000" : "0.0", System.Globalization.CultureInfo.InvariantCulture) : "-";

    /// <summary>What a TLS handshake settled, one line (nsock http -v says the same).</summary>
    public static string TlsLine(TlsInfo info) =>
        $"TLS {info.Protocol} {info.CipherSuite} alpn={info.Alpn ?? "-"} subject='{NsockText.Printable(info.Subject)}' issuer='{NsockText.Printable(info.Issuer)}' valid {info.NotBefore:yyyy-MM-dd} to {info.NotAfter:yyyy-MM-dd} sha256={info.Sha256Fingerprint} pin={info.PublicKeyPin}{(info.Pinned ? " (pinned)" : info.Verified ? "" : " (NOT verified)")}";

    /// <summary>What a TLS listener's client negotiated, one line: the name it asked for (SNI) and its certificate, when it sent one (mutual TLS).</summary>
    public static string ClientTlsLine(TlsInfo info) =>
        $"TLS {info.Protocol} {info.CipherSuite} sni={(info.ServerName.Length == 0 ? "-" : NsockText.Printable(info.ServerName))} " + (info.Subject.Length == 0 && info.Sha256Fingerprint.Length == 0
            ? "no client certificate"
            : $"client subject='{NsockText.Printable(info.Subject)}' issuer='{NsockText.Printable(info.Issuer)}' valid {info.NotBefore:yyyy-MM-dd} to {info.NotAfter:yyyy-MM-dd} sha256={info.Sha256Fingerprint} pin={info.PublicKeyPin}{(info.Verified ? " (verified)" : " (NOT verified)")}");

    /// <summary>A line on stderr for a check that failed (not in --json, where the results carry it).</summary>
    public void Warn(string text)
    {
        if (Json) return;
        lock (_lock)
        {
            _err.WriteLine("nsock: " + text);
            _err.Flush();
        }
    }

    /// <summary>--insecure is said on stderr every time (not in --json, where the tls event's verified field says it).</summary>
    public void WarnIfInsecure(bool insecure)
    {
        if (!insecure || Json) return;
        lock (_lock)
        {
            _err.WriteLine("nsock: warning: --insecure: the server's certificate is not verified");
            _err.Flush();
        }
    }

    private string? Describe(NsockEvent e) => e switch
    {
        ListenerReady r => $"listening on {r.Endpoint}",
        ClientConnected c when _verbose => $"connection {c.Client} from {c.Remote}",
        ClientRejected r when _verbose => $"refused {r.Remote}: {r.Reason}",
        // A forward that cannot reach its target says so without -v: otherwise its clients just vanish.
        ClientClosed c when _verbose || c.Error?.StartsWith("target ", System.StringComparison.Ordinal) == true => $"connection {c.Client} from {c.Remote} closed: {c.BytesReceived} bytes in, {c.BytesSent} out, {c.Seconds:0.###}s" + (c.Error is null ? "" : $" ({c.Error})"),
        DatagramReceived d when _verbose => $"datagram of {d.Bytes} bytes from {d.Remote}",
        Connected c when _verbose => $"connected to {c.Remote} from {c.Local}" + (c.Via is null ? "" : $" via {c.Via}"),
        SendResult s when _verbose => $"sent {s.BytesSent} bytes to {s.Remote}, received {s.BytesReceived}, {s.Seconds:0.###}s" + (s.PeerClosed ? "" : " (stopped waiting: peer did not close)"),
        ReceiveResult r when _verbose => $"received {r.Bytes} bytes in {r.Seconds:0.###}s ({r.End})",
        // Always shown: the operator should know a client was cut off.
        ClientDropped d => $"connection {d.Client} from {d.Remote} {d.Reason}",
        // Asked for with --stats: always shown.
        ListenerStatistics t => (t.Final ? "final stats: " : "stats: ") + $"{t.ClientsNow} clients now, {t.Clients} in all, {t.Rejected} rejected, {t.BytesReceived} bytes in, {t.BytesSent} out, {t.Datagrams} datagrams, {t.FilesReceived} files received, {t.FilesServed} served, {t.Errors} errors, {t.Seconds:0.#}s",
        ClientForwarded f when _verbose => $"connection {f.Client} from {f.Remote} forwarded to {f.Target} from {f.Local}" + (f.Tls is null ? "" : ": " + TlsLine(f.Tls)),
        TlsNegotiated t when _verbose => TlsLine(t.Tls),
        ClientTlsNegotiated t when _verbose => $"connection {t.Client} from {t.Remote}: " + ClientTlsLine(t.Tls),
        _ => null,
    };
}
