using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Text;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// <para type="synopsis">Sends one raw HTTP/1.x request over TCP or TLS and returns the response as it was on the wire and as it decodes: status, headers, body, raw bytes, chunks, timings, TLS.</para>
/// <para type="description">The nsock http command as a cmdlet: a byte-exact client for testing servers and proxies. A status of 400 or more is a result, not an error; only failures to talk HTTP at all are errors.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "HttpRaw", DefaultParameterSetName = RequestSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(HttpRawResponse))]
public sealed class GetHttpRawCommand : NsockCmdlet
{
    private Given<int> _maximumRedirection;
    private Given<double> _timeout;
    private Given<double> _maximumTime;

    private const string RequestSet = "Request";
    private const string RawRequestSet = "RawRequest";

    private bool _uriOnCommandLine;

    /// <summary>The http:// or https:// URL (several may be piped in: one request each).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Alias("Url")]
    [ValidateNotNull]
    public Uri? Uri { get; set; }

    /// <summary>The request method, sent as given (default GET).</summary>
    [Parameter(ParameterSetName = RequestSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(HttpMethodCompleter))]
    public string Method { get; set; } = HttpRequest.DefaultMethod;

    /// <summary>Headers to send, e.g. @{ Accept = 'text/plain' } ([ordered] keeps their order; an array value sends the header once per item). A given Host, User-Agent, Accept or Connection replaces nsock's.</summary>
    [Parameter(ParameterSetName = RequestSet)]
    [ValidateNotNull]
    public IDictionary? Headers { get; set; }

    /// <summary>The request body: a string (encoded with -Encoding) or a byte array. Content-Length is added.</summary>
    [Parameter(ParameterSetName = RequestSet)]
    [ValidateNotNull]
    public object? Body { get; set; }

    /// <summary>Send this file's bytes as the request body.</summary>
    [Parameter(ParameterSetName = RequestSet)]
    [ValidateNotNullOrEmpty]
    public string? InFile { get; set; }

    /// <summary>Speak HTTP/1.0 instead of HTTP/1.1.</summary>
    [Parameter(ParameterSetName = RequestSet)]
    public SwitchParameter Http10 { get; set; }

    /// <summary>Do not send "Connection: close" (one response is still read, then the connection is closed).</summary>
    [Parameter(ParameterSetName = RequestSet)]
    public SwitchParameter KeepAlive { get; set; }

    /// <summary>Follow up to this many redirects (default 0: the Location is returned, not followed).</summary>
    [Parameter(ParameterSetName = RequestSet)]
    [Alias("Follow")]
    [ValidateRange(0, 100)]
    public int MaximumRedirection
    {
        get => _maximumRedirection.Value;
        set => _maximumRedirection.Value = value;
    }

    /// <summary>Send these bytes exactly instead of building a request (a string is encoded with -Encoding); malformed requests included.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RawRequestSet)]
    [ValidateNotNull]
    public object? RawRequest { get; set; }

    /// <summary>Turn bare LF line endings of -RawRequest into CRLF.</summary>
    [Parameter(ParameterSetName = RawRequestSet)]
    [Alias("Crlf")]
    public SwitchParameter FixLineEndings { get; set; }

    /// <summary>Do not verify the server's certificate (the result still says whether it would have passed).</summary>
    [Parameter]
    [Alias("Insecure")]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>The TLS server name to send (default: the URL's host; none for an IP address).</summary>
    [Parameter]
    [Alias("Sni")]
    [ValidateNotNullOrEmpty]
    public string? ServerName { get; set; }

    /// <summary>Write the body to this file (it appears only when complete); the result then holds no body.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    /// <summary>How a string -Body or -RawRequest is encoded, and the body decoded when the response names no charset (default utf8).</summary>
    [Parameter]
    [EncodingTransformation]
    [ArgumentCompleter(typeof(EncodingCompleter))]
    public Encoding? Encoding { get; set; }

    /// <summary>Seconds allowed for the connect, the TLS handshake and every wait for response bytes (default 10; 0: no limit).</summary>
    [Parameter]
    [Alias("TimeoutSec")]
    public double Timeout
    {
        get => _timeout.Value;
        set => _timeout.Value = value;
    }

    /// <summary>
    /// Seconds the whole exchange may take, redirects included, however slowly the server sends (default: no limit);
    /// -Timeout bounds each wait only. (Not -OperationTimeoutSeconds: Invoke-WebRequest gives that name the per-read
    /// meaning, which is -Timeout here.)
    /// </summary>
    [Parameter]
    [Alias("MaxTime")]
    public double MaximumTime
    {
        get => _maximumTime.Value;
        set => _maximumTime.Value = value;
    }

    /// <summary>Use IPv4 only.</summary>
    [Parameter]
    public SwitchParameter IPv4 { get; set; }

    /// <summary>Use IPv6 only.</summary>
    [Parameter]
    public SwitchParameter IPv6 { get; set; }

    /// <summary>The local IP address to connect from (as Test-NetConnection -SourceAddress; nc -s). Only the target's addresses of its family are tried.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SourceAddress { get; set; }

    /// <summary>The local port to connect from (nc -p), e.g. for a firewall rule about source ports; reusable at once (SO_REUSEADDR).</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int SourcePort { get; set; }

    /// <summary>
    /// The proxy to connect through, as Invoke-WebRequest's -Proxy: socks5://[user:pass@]host:port (the proxy resolves
    /// names) or http://[user:pass@]host:port (HTTP CONNECT). TCP only. $env:ALL_PROXY and friends are not read.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Proxy { get; set; }

    /// <summary>The proxy's user name and password (as Invoke-WebRequest's -ProxyCredential), instead of user:pass@ in -Proxy.</summary>
    [Parameter]
    [Credential]
    public PSCredential? ProxyCredential { get; set; }

    private Encoding TextEncoding => Encoding ?? EncodingNames.Default;

    /// <summary>Notes whether the URL came on the command line (a piped one is bound only later, per record).</summary>
    protected override void BeginProcessing()
    {
        _uriOnCommandLine = Uri is not null;
    }

    /// <summary>
    /// One exchange per URL. Bad parameters end the cmdlet before anything opens; a bad piped URL is that
    /// record's error, and the next URLs are still tried.
    /// </summary>
    protected override void ProcessRecord()
    {
        byte[]? inFile = null;
        if (InFile is not null && !Try(() => inFile = File.ReadAllBytes(GetUnresolvedProviderPathFromPSPath(InFile)), InFile)) return;
        HttpPlan? plan = null;
        if (_uriOnCommandLine)
        {
            plan = CheckParameters(() => Plan(inFile), Uri);
        }
        else
        {
            if (!Try(() => plan = Plan(inFile), Uri)) return;
        }

        string? outPath = OutFile is null ? null : GetUnresolvedProviderPathFromPSPath(OutFile);
        if (outPath is not null && !ShouldProcess(outPath, (File.Exists(outPath) ? "Replace with the body of " : "Write the body of ") + plan!.Options.Url)) return;
        AtomicFile? file = null;
        if (outPath is not null && !Try(() => file = new AtomicFile(outPath), outPath)) return;
        using (file)
        {
            Exchange(plan!, file);
        }
    }

    private HttpPlan Plan(byte[]? inFile)
    {
        var request = new HttpRequest
        {
            Url = Uri?.OriginalString,
            Method = Method,
            Headers = HttpHeaderMapper.Lines(Pairs(Headers)),
            Body = Bytes(Body),
            BodyFile = inFile,
            Http10 = Http10.IsPresent,
            KeepAlive = KeepAlive.IsPresent,
            RawRequest = Bytes(RawRequest),
            FixLineEndings = FixLineEndings.IsPresent,
            Insecure = SkipCertificateCheck.IsPresent,
            Sni = ServerName,
            Timeout = _timeout.OrNull,
            FollowRedirects = _maximumRedirection.OrNull,
            MaxTime = _maximumTime.OrNull,
            IPv4 = IPv4.IsPresent,
            IPv6 = IPv6.IsPresent,
            SourceAddress = SourceAddress,
            SourcePort = SourcePort == 0 ? null : SourcePort,
            Proxy = Proxy,
            ProxyCredential = ProxyCredential?.GetNetworkCredential(),
        };
        return request.Validate(ParameterNames.Instance);
    }

    private void Exchange(HttpPlan plan, AtomicFile? file)
    {
        HttpRequestOptions options = plan.Options;
        CaptureStream? raw = file is null ? new CaptureStream(options.Limits.MaxCapturedBody) : null;
        var run = new EngineRun<HttpOutcome>((sink, ct) =>
        {
            Stream? body = file is null ? null : new PipelineOutputStream(sink, file.Stream, chunks: false, progress: true);
            return plan.RunAsync(body, raw, sink, ct);
        }, StopToken);

        string activity = "HTTP " + options.Url;
        long? length = null;
        void Deliver(object item)
        {
            switch (item)
            {
                case HttpRequestSent sent:
                    WriteVerbose($"sent {sent.Request.Length} request bytes to {sent.Remote}");
                    WriteDebug(Encoding.GetEncoding(28591).GetString(sent.Request));
                    break;
                case HttpHead head:
                    WriteVerbose($"HTTP/{head.Version} {head.Status} {head.Reason}{(head.IsInterim ? " (interim)" : "")}");
                    if (!head.IsInterim) length = ContentLength(head.Headers);
                    break;
                case ByteCount b:
                    int percent = length is long l && l > 0 ? FileProgressTracker.Percent(b.Bytes, l) : -1;
                    WriteProgress(new ProgressRecord(1, activity, Sizes.Bytes(b.Bytes) + " of the body") { PercentComplete = percent });
                    break;
            }
        }

        if (!TryComplete(run, Deliver, options.Url, out HttpOutcome outcome)) return;
        if (file is not null)
        {
            file.Commit();
            WriteProgress(new ProgressRecord(1, activity, "done") { RecordType = ProgressRecordType.Completed });
        }
        foreach (string warning in outcome.Response.Warnings) WriteWarning(warning);
        WriteObject(HttpResponseMapper.From(outcome.Response, raw?.ToArray(), TextEncoding, file?.FinalPath));
    }

    private static long? ContentLength(IReadOnlyList<HttpHeader> headers)
    {
        foreach (HttpHeader h in headers)
        {
            if (h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && long.TryParse(h.Value, NumberStyles.None, CultureInfo.InvariantCulture, out long n)) return n;
        }
        return null;
    }

    private byte[]? Bytes(object? value) => (value is PSObject ps ? ps.BaseObject : value) switch
    {
        null => null,
        byte[] bytes => bytes,
        string s => TextEncoding.GetBytes(s),
        object o => TextEncoding.GetBytes(LanguagePrimitives.ConvertTo<string>(o)),
    };

    private static IReadOnlyList<KeyValuePair<string, object?>> Pairs(IDictionary? headers)
    {
        var pairs = new List<KeyValuePair<string, object?>>();
        if (headers is null) return pairs;
        foreach (DictionaryEntry e in headers)
        {
            object? value = e.Value is PSObject ps ? ps.BaseObject : e.Value;
            pairs.Add(new KeyValuePair<string, object?>(LanguagePrimitives.ConvertTo<string>(e.Key), value));
        }
        return pairs;
    }
}
