using System;
using System.Collections.ObjectModel;
using System.IO;
using System.Management.Automation;
using System.Net.Sockets;
using System.Text;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// <para type="synopsis">Sends strings, bytes or a file to a TCP, UDP or Unix socket, half-closes, and returns what happened (and with -Reply, what came back).</para>
/// <para type="description">The nsock send command as a cmdlet: pipeline records are sent as they arrive (each one datagram over UDP), then the socket is half-closed and the peer's answer is read until it closes or -Timeout passes.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Send, "SocketData", DefaultParameterSetName = InputSet)]
[OutputType(typeof(SocketSendResult))]
public sealed class SendSocketDataCommand : NsockTlsConnectionCmdlet
{
    private const string InputSet = "InputObject";
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const int FileChunk = 64 * 1024;

    private Endpoint? _endpoint;
    private SendPlan? _plan;
    private InputRecords? _records;
    private InputRecordStream? _input;
    private CaptureStream? _reply;
    private EngineRun<SendResult>? _run;
    private string? _local;

    /// <summary>What to send: strings (encoded with -Encoding), byte arrays, or FileInfo objects (their contents). Each record is one datagram over UDP.</summary>
    [Parameter(Position = 2, ValueFromPipeline = true, ParameterSetName = InputSet)]
    [AllowNull]
    [AllowEmptyString]
    public object? InputObject { get; set; }

    /// <summary>Send the contents of this file (one file; wildcards allowed if they match exactly one). Sent zero-copy where the OS allows.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Send the contents of this file, its name taken literally.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string? LiteralPath { get; set; }

    /// <summary>Send UDP datagrams (each pipeline record, or each 64 KB of a file, is one datagram).</summary>
    [Parameter]
    public SwitchParameter Udp { get; set; }

    /// <summary>Keep and return what the peer sends back (Reply, ReplyText; ReplyDatagrams over UDP).</summary>
    [Parameter]
    public SwitchParameter Reply { get; set; }

    /// <summary>Append a newline to each string sent (nsock send --newline).</summary>
    [Parameter]
    public SwitchParameter Newline { get; set; }

    /// <summary>How strings are turned into bytes and replies into text: utf8 (default), ascii, unicode, latin1, ...</summary>
    [Parameter]
    [EncodingTransformation]
    [ArgumentCompleter(typeof(EncodingCompleter))]
    public Encoding? Encoding { get; set; }

    /// <summary>Send each line feed as CR LF (nsock send --crlf, nc -C); a CR LF already there stays. For SMTP, HTTP and other line protocols by hand.</summary>
    [Parameter]
    public SwitchParameter Crlf { get; set; }

    /// <summary>Send the data a line at a time, pausing this many seconds before each line after the first (nsock send --delay, nc -i); over UDP each line is a datagram.</summary>
    [Parameter]
    public double Delay
    {
        get => _delay.Value;
        set => _delay.Value = value;
    }

    /// <summary>Record both directions as a hex dump in this file, each chunk under a line with its direction, time and size (nsock send --hex-dump, ncat -x).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HexDumpPath { get; set; }

    /// <summary>Record both directions, as they are, in this file, each chunk under a line with its direction, time and size (nsock send --output, ncat -o).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputPath { get; set; }

    private Given<double> _delay;

    private bool FromPipeline => ParameterSetName == InputSet;

    private Encoding TextEncoding => Encoding ?? EncodingNames.Default;

    /// <summary>Checks the parameters: bad ones end the cmdlet before anything is opened.</summary>
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _records = new InputRecords(TextEncoding, Newline.IsPresent);
        if (!TargetPerRecord) (_endpoint, _plan) = CheckParameters(Map, TargetText);
    }

    private (Endpoint, SendPlan) Map()
    {
        SendPlan plan = new SendRequest
        {
            Target = TlsTarget(Udp.IsPresent),
            Crlf = Crlf.IsPresent,
            Delay = _delay.OrNull,
            HexDumpPath = HexDumpPath is null ? null : GetUnresolvedProviderPathFromPSPath(HexDumpPath),
            OutputPath = OutputPath is null ? null : GetUnresolvedProviderPathFromPSPath(OutputPath),
        }.Validate(ParameterNames.Instance);
        return (plan.Endpoint, plan);
    }

    /// <summary>
    /// Sends each pipeline record as it arrives (the connection opens with the first), or the file. A record that
    /// names its own peer (Import-Csv rows with ComputerName/Port or Endpoint, and a Data column) is a whole send
    /// of its own: connect, send, half-close, result.
    /// </summary>
    protected override void ProcessRecord()
    {
        if (TargetPerRecord)
        {
            SendOneRecord();
            return;
        }
        if (!FromPipeline)
        {
            SendFile();
            return;
        }
        if (_run is null) Start(_input = new InputRecordStream());
        AddInput(InputObject);
    }

    private void AddInput(object? input)
    {
        foreach (object? value in Items(input))
        {
            if (value is FileInfo file)
            {
                if (_records!.Flush() is byte[] joined) Add(joined);
                AddFile(file);
            }
            else
            {
                foreach (byte[] record in _records!.Add(value)) Add(record);
            }
            _run!.DrainAvailable(Deliver);
        }
    }

    private void SendOneRecord()
    {
        // A bad row is that row's error; the rows after it are still sent.
        if (!Try(() => (_endpoint, _plan) = Map(), TargetText)) return;
        if (!FromPipeline)
        {
            SendFile();
            return;
        }
        Start(_input = new InputRecordStream());
        AddInput(RowData(InputObject));
        EndProcessing();
        _run = null;
        _input = null;
    }

    /// <summary>What a row sends: its Data (or InputObject, Text) property when the row itself was bound as the input.</summary>
    private object? RowData(object? input)
    {
        if (input is not PSObject row) return input;
        if (row.BaseObject is string or byte[] or FileInfo) return input;
        foreach (string name in new[] { "Data", "InputObject", "Text" })
        {
            if (row.Properties[name] is PSPropertyInfo p) return p.Value;
        }
        return null;
    }

    /// <summary>
    /// Pipeline and -InputObject forms: the input has ended, so flush joined bytes, half-close, wait for the reply
    /// and write the result (or the error: refused, unreachable, timed out).
    /// </summary>
    protected override void EndProcessing()
    {
        if (!FromPipeline || _run is null || _input is null) return;
        if (_records!.Flush() is byte[] joined) Add(joined);
        _input!.Complete();
        Finish();
    }

    /// <summary>Ctrl+C: stop taking records too (the engine is cancelled by the base class).</summary>
    protected override void StopProcessing()
    {
        _input?.Abort();
        base.StopProcessing();
    }

    private void SendFile()
    {
        string? path = ResolveFile();
        if (path is null) return;
        FileStream data;
        try
        {
            data = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            WriteError(ToErrorRecord(e, path));
            return;
        }
        using (data)
        {
            Start(data);
            Finish();
        }
    }

    private void Start(Stream data)
    {
        Endpoint ep = _endpoint!;
        SendPlan plan = _plan!;
        _reply = Reply.IsPresent ? new CaptureStream() : null;
        CaptureStream? reply = _reply;
        InputRecordStream? input = _input;
        _run = new EngineRun<SendResult>((sink, ct) => plan.RunAsync(data, reply, sink, ct), StopToken);
        // Once the engine stops reading (done, failed, stopped), records still coming are dropped, not queued.
        if (input is not null) _run.Operation.ContinueWith(_ => input.Abort(), System.Threading.Tasks.TaskScheduler.Default);
    }

    private void Add(byte[] record)
    {
        if (!_input!.Add(record, StopToken) && StopToken.IsCancellationRequested) throw new PipelineStoppedException();
    }

    private void AddFile(FileInfo file)
    {
        try
        {
            using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, FileChunk);
            byte[] buffer = new byte[FileChunk];
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                byte[] record = new byte[n];
                Buffer.BlockCopy(buffer, 0, record, 0, n);
                Add(record);
                _run!.DrainAvailable(Deliver);
                if (_run.IsDone) return;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            WriteError(ToErrorRecord(e, file));
        }
    }

    private void Finish()
    {
        EngineRun<SendResult> run = _run!;
        _input = null; // finished: a later EndProcessing has nothing to close
        if (!TryComplete(run, Deliver, _endpoint!.ToString(), out SendResult result)) return;
        SocketSendResult sent = TransferResults.Send(result, _endpoint, _local, _reply, TextEncoding);
        sent.Tls = Tls;
        WriteObject(sent);
    }

    private void Deliver(object item)
    {
        NoteTls(item);
        if (item is Connected c)
        {
            _local = c.Local;
            WriteVerbose($"connected to {c.Remote} from {c.Local} ({c.Transport.ToText()})");
        }
    }

    private string? ResolveFile()
    {
        try
        {
            if (LiteralPath is not null)
            {
                string literal = GetUnresolvedProviderPathFromPSPath(LiteralPath);
                if (!File.Exists(literal)) throw new FileNotFoundException($"cannot find file '{literal}'", literal);
                return literal;
            }
            Collection<string> found = GetResolvedProviderPathFromPSPath(Path, out ProviderInfo provider);
            if (provider.Name != "FileSystem") throw new NsockException(NsockErrorKind.BadInput, $"'{Path}' is not a file system path");
            if (found.Count != 1) throw new NsockException(NsockErrorKind.BadInput, $"-Path '{Path}' matches {found.Count} files; Send-SocketData sends one (Send-File sends many)");
            if (!File.Exists(found[0])) throw new NsockException(NsockErrorKind.BadInput, $"'{found[0]}' is not a file");
            return found[0];
        }
        catch (ItemNotFoundException e)
        {
            WriteError(e.ErrorRecord);
            return null;
        }
        catch (Exception e) when (ErrorMapping.For(e) is not null)
        {
            WriteError(ToErrorRecord(e, LiteralPath ?? Path));
            return null;
        }
    }
}
