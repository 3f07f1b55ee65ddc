using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary><c>nsock http</c>: one raw HTTP/1.x exchange over TCP or TLS, the bytes on the wire and what they mean.</summary>
internal sealed class HttpCommand : NsockCommand
{
    private readonly Argument<string> _url = new("url") { Description = "http:// or https:// URL" };
    private readonly Option<string> _method = new("--method", "-X") { Description = "Request method", DefaultValueFactory = _ => HttpRequest.DefaultMethod };
    private readonly Option<string[]> _header = new("--header", "-H") { Description = "'Name: value', repeatable; replaces a header nsock would add (Host, User-Agent, Accept, Connection)" };
    private readonly Option<string?> _body = new("--body", "-d") { Description = "Request body: TEXT, or @FILE" };
    private readonly Option<bool> _http10 = new("--http1.0") { Description = "Speak HTTP/1.0" };
    private readonly Option<bool> _keepAlive = new("--keep-alive") { Description = "Do not send 'Connection: close' (one response is still read, then nsock closes)" };
    private readonly Option<string?> _rawRequest = new("--raw-request") { Description = "Send the bytes of FILE (or - for stdin) exactly, instead of building a request" };
    private readonly Option<bool> _crlf = new("--crlf") { Description = "With --raw-request: turn bare LF line endings into CRLF" };
    private readonly Option<bool> _insecure = new("--insecure", "-k") { Description = "Do not verify the server's certificate" };
    private readonly Option<string?> _sni = new("--sni") { Description = "TLS server name to send (default: the URL's host)" };
    private readonly Option<bool> _raw = new("--raw") { Description = "Print the response bytes untouched (chunk framing included)" };
    private readonly Option<bool> _showRequest = new("--show-request") { Description = "Print the request bytes, exactly as sent, on stderr" };
    private readonly Option<bool> _chunks = new("--chunks") { Description = "List each chunk's size and offsets on stderr" };
    private readonly Option<FileInfo?> _outFile = new("--out", "-o") { Description = "Write the body to FILE (it appears only when complete)" };
    private readonly Option<double?> _maxTime = new("--max-time") { Description = "Seconds the whole exchange may take, redirects included, however slowly the server sends (as curl; default: no limit)" };
    private readonly Option<int> _follow = new("--follow") { Description = "Follow up to N redirects (default 0: Location is shown, not followed)" };

    public HttpCommand(GlobalOptions global, SharedOptions shared, ConsoleIo io)
        : base("http", "One raw HTTP/1.x request over TCP or TLS: exact bytes, decoded response, timings", global, shared, io)
    {
        Add(_url);
        Add(_method);
        Add(_header);
        Add(_body);
        Add(_http10);
        Add(_keepAlive);
        Add(_rawRequest);
        Add(_crlf);
        Add(_insecure);
        Add(_sni);
        Add(_raw);
        Add(_showRequest);
        Add(_chunks);
        Add(_outFile);
        Add(_follow);
        Add(_maxTime);
        Add(Shared.Source);
        Add(Shared.Proxy);
    }

    /// <summary>The body goes to stdout unless the output is JSON.</summary>
    protected override bool StdoutCarriesData(CommandContext ctx) => !ctx.Json;

    protected override async Task<int> ExecuteAsync(CommandContext ctx, Reporter reporter, CancellationToken ct)
    {
        bool json = ctx.Json;
        FileInfo? target = ctx.Get(_outFile);
        if (ctx.Get(_raw) && (json || target is not null)) throw new NsockException(NsockErrorKind.BadInput, "--raw prints the response bytes; it does not combine with --json or --out");
        string? bodyText = ctx.Get(_body);
        bool bodyFromFile = bodyText is not null && bodyText.StartsWith("@", StringComparison.Ordinal);
        var request = new HttpRequest
        {
            Url = ctx.Get(_url),
            Method = ctx.Get(_method),
            Headers = ParseHeaders(ctx.Get(_header)),
            Body = bodyText is not null && !bodyFromFile ? Encoding.UTF8.GetBytes(bodyText) : null,
            BodyFile = bodyFromFile ? ReadFile(bodyText!.Substring(1), "--body") : null,
            Http10 = ctx.Get(_http10),
            KeepAlive = ctx.Get(_keepAlive),
            RawRequest = ctx.Get(_rawRequest) is string r ? ReadRaw(r, Io) : null,
            FixLineEndings = ctx.Get(_crlf),
            Insecure = ctx.Get(_insecure),
            Sni = ctx.Get(_sni),
            Timeout = ctx.GivenTimeout,
            FollowRedirects = ctx.Get(_follow),
            MaxTime = ctx.Get(_maxTime),
            IPv4 = ctx.IPv4,
            IPv6 = ctx.IPv6,
            Source = ctx.Get(Shared.Source),
            Proxy = ctx.Proxy,
        };
        HttpPlan plan = request.Validate(CommandNames.Instance);

        using AtomicFile? file = target is null ? null : new AtomicFile(target.FullName);
        Stream? bodyOut = json || ctx.Get(_raw) ? null : (Stream?)file?.Stream ?? Io.StdOut;
        Stream? rawOut = ctx.Get(_raw) ? Io.StdOut : null;
        var view = new HttpView(Io, reporter, printHeads: !json && !ctx.Get(_raw), showRequest: ctx.Get(_showRequest));
        HttpOutcome outcome = await plan.RunAsync(bodyOut, rawOut, view, ct).ConfigureAwait(false);
        file?.Commit();
        HttpResponse response = outcome.Response;

        // Readable but wrong (RFC 9112): said on stderr in every mode but --json, where it is the "warnings" field.
        if (!json)
        {
            foreach (string warning in response.Warnings) Io.Err.WriteLine($"nsock: warning: {warning}");
        }
        if (json)
        {
            reporter.Emit(HttpJson.From(response));
            return ExitCodes.Success;
        }
        if (ctx.Get(_chunks) && response.Chunks is not null)
        {
            foreach (HttpChunk c in response.Chunks)
                Io.Err.WriteLine($"nsock: chunk of {c.Size} bytes at response offset {c.RawOffset}, body offset {c.BodyOffset}" + (c.Extensions is null ? "" : $" ;{NsockText.PrintableWire(c.Extensions)}"));
        }
        if (outcome.RedirectNotFollowed)
            Io.Err.WriteLine($"nsock: {response.Status} redirect to {NsockText.PrintableWire(response.Location)} (not followed; --follow N follows)");
        HttpTimings t = response.Timings;
        reporter.Verbose($"{response.Status} from {response.Remote}{(response.Via is null ? "" : " via " + response.Via)}: {response.BodyBytes} body bytes ({response.Framing.ToText()}), {response.RawBytes} bytes in all");
        reporter.Verbose($"timings (ms): resolved {t.ResolvedMs:0.###}, connected {t.ConnectedMs:0.###}" + (t.TlsDoneMs is double tls ? $", TLS {tls:0.###}" : "")
            + $", request sent {t.RequestSentMs:0.###}, first byte {(t.FirstByteMs is double fb ? fb.ToString("0.###") : "-")}, complete {t.CompleteMs:0.###}");
        if (response.Tls is TlsInfo info)
            reporter.Verbose($"TLS {info.Protocol} {info.CipherSuite} alpn={info.Alpn ?? "-"} subject='{NsockText.Printable(info.Subject)}' issuer='{NsockText.Printable(info.Issuer)}' expires {info.NotAfter:yyyy-MM-dd} sha256={info.Sha256Fingerprint}{(info.Verified ? "" : " (NOT verified)")}");
        return ExitCodes.Success;
    }

    private static IReadOnlyList<HttpHeader> ParseHeaders(string[]? lines)
    {
        var headers = new List<HttpHeader>();
        foreach (string line in lines ?? Array.Empty<string>())
        {
            int colon = line.IndexOf(':');
            if (colon <= 0) throw new NsockException(NsockErrorKind.BadInput, $"header '{line}' is not 'Name: value'");
            headers.Add(new HttpHeader(line.Substring(0, colon), line.Substring(colon + 1)));
        }
        return headers;
    }

    private static byte[] ReadRaw(string value, ConsoleIo io)
    {
        if (value != "-") return ReadFile(value, "--raw-request");
        using var copy = new MemoryStream();
        io.StdIn.CopyTo(copy);
        return copy.ToArray();
    }

    private static byte[] ReadFile(string path, string option)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NsockException(NsockErrorKind.BadInput, $"cannot read {option} file '{path}': {e.Message}", e);
        }
    }
}
