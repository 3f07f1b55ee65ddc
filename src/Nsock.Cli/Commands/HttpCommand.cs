using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary><c>nsock http</c>: one raw HTTP/1.x exchange over TCP or TLS, the bytes on the wire and what they mean.</summary>
internal static class HttpCommand
{
    public static Command Create(GlobalOptions global, ConsoleIo io)
    {
        var url = new Argument<string>("url") { Description = "http:// or https:// URL" };
        var method = new Option<string>("--method", "-X") { Description = "Request method", DefaultValueFactory = _ => HttpRequest.DefaultMethod };
        var header = new Option<string[]>("--header", "-H") { Description = "'Name: value', repeatable; replaces a header nsock would add (Host, User-Agent, Accept, Connection)" };
        var body = new Option<string?>("--body", "-d") { Description = "Request body: TEXT, or @FILE" };
        var http10 = new Option<bool>("--http1.0") { Description = "Speak HTTP/1.0" };
        var keepAlive = new Option<bool>("--keep-alive") { Description = "Do not send 'Connection: close' (one response is still read, then nsock closes)" };
        var rawRequest = new Option<string?>("--raw-request") { Description = "Send the bytes of FILE (or - for stdin) exactly, instead of building a request" };
        var crlf = new Option<bool>("--crlf") { Description = "With --raw-request: turn bare LF line endings into CRLF" };
        var insecure = new Option<bool>("--insecure", "-k") { Description = "Do not verify the server's certificate" };
        var sni = new Option<string?>("--sni") { Description = "TLS server name to send (default: the URL's host)" };
        var raw = new Option<bool>("--raw") { Description = "Print the response bytes untouched (chunk framing included)" };
        var showRequest = new Option<bool>("--show-request") { Description = "Print the request bytes, exactly as sent, on stderr" };
        var chunks = new Option<bool>("--chunks") { Description = "List each chunk's size and offsets on stderr" };
        var outFile = new Option<FileInfo?>("--out", "-o") { Description = "Write the body to FILE (it appears only when complete)" };
        var follow = new Option<int>("--follow") { Description = "Follow up to N redirects (default 0: Location is shown, not followed)" };

        var command = new Command("http", "One raw HTTP/1.x request over TCP or TLS: exact bytes, decoded response, timings")
        {
            url, method, header, body, http10, keepAlive, rawRequest, crlf, insecure, sni, raw, showRequest, chunks, outFile, follow,
        };
        command.SetAction((parse, ct) =>
        {
            var ctx = new CommandContext(parse, global, io);
            bool json = ctx.Json;
            FileInfo? target = ctx.Get(outFile);
            Reporter reporter = ctx.Reporter(stdoutCarriesData: !json);
            return CommandRunner.RunAsync(reporter, async () =>
            {
                if (ctx.Get(raw) && (json || target is not null)) throw new NsockException(NsockErrorKind.BadInput, "--raw prints the response bytes; it does not combine with --json or --out");
                string? bodyText = ctx.Get(body);
                bool bodyFromFile = bodyText is not null && bodyText.StartsWith("@", StringComparison.Ordinal);
                ConnectTarget globals = ctx.Target(ctx.Get(url)!); // --timeout as given, -4, -6
                var request = new HttpRequest
                {
                    Url = ctx.Get(url),
                    Method = ctx.Get(method),
                    Headers = ParseHeaders(ctx.Get(header)),
                    Body = bodyText is not null && !bodyFromFile ? Encoding.UTF8.GetBytes(bodyText) : null,
                    BodyFile = bodyFromFile ? ReadFile(bodyText!.Substring(1), "--body") : null,
                    Http10 = ctx.Get(http10),
                    KeepAlive = ctx.Get(keepAlive),
                    RawRequest = ctx.Get(rawRequest) is string r ? ReadRaw(r, io) : null,
                    FixLineEndings = ctx.Get(crlf),
                    Insecure = ctx.Get(insecure),
                    Sni = ctx.Get(sni),
                    Timeout = globals.Timeout,
                    FollowRedirects = ctx.Get(follow),
                    IPv4 = globals.IPv4,
                    IPv6 = globals.IPv6,
                };
                HttpPlan plan = request.Validate(CommandNames.Instance);

                using AtomicFile? file = target is null ? null : new AtomicFile(target.FullName);
                Stream? bodyOut = json || ctx.Get(raw) ? null : (Stream?)file?.Stream ?? io.StdOut;
                Stream? rawOut = ctx.Get(raw) ? io.StdOut : null;
                var view = new HttpView(io, reporter, printHeads: !json && !ctx.Get(raw), showRequest: ctx.Get(showRequest));
                HttpOutcome outcome = await plan.RunAsync(bodyOut, rawOut, view, ct).ConfigureAwait(false);
                file?.Commit();
                HttpResponse response = outcome.Response;

                if (json)
                {
                    reporter.Emit(HttpJson.From(response));
                    return ExitCodes.Success;
                }
                if (ctx.Get(chunks) && response.Chunks is not null)
                {
                    foreach (HttpChunk c in response.Chunks)
                        io.Err.WriteLine($"nsock: chunk of {c.Size} bytes at response offset {c.RawOffset}, body offset {c.BodyOffset}" + (c.Extensions is null ? "" : $" ;{c.Extensions}"));
                }
                if (outcome.RedirectNotFollowed)
                    io.Err.WriteLine($"nsock: {response.Status} redirect to {response.Location} (not followed; --follow N follows)");
                HttpTimings t = response.Timings;
                reporter.Verbose($"{response.Status} from {response.Remote}: {response.BodyBytes} body bytes ({response.Framing.ToText()}), {response.RawBytes} bytes in all");
                reporter.Verbose($"timings (ms): resolved {t.ResolvedMs:0.###}, connected {t.ConnectedMs:0.###}" + (t.TlsDoneMs is double tls ? $", TLS {tls:0.###}" : "")
                    + $", request sent {t.RequestSentMs:0.###}, first byte {(t.FirstByteMs is double fb ? fb.ToString("0.###") : "-")}, complete {t.CompleteMs:0.###}");
                if (response.Tls is TlsInfo info)
                    reporter.Verbose($"TLS {info.Protocol} {info.CipherSuite} alpn={info.Alpn ?? "-"} subject='{info.Subject}' issuer='{info.Issuer}' expires {info.NotAfter:yyyy-MM-dd} sha256={info.Sha256Fingerprint}{(info.Verified ? "" : " (NOT verified)")}");
                return ExitCodes.Success;
            }, ct);
        });
        return command;
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
