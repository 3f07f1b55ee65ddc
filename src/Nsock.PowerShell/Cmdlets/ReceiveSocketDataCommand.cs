using System;
using System.IO;
using System.Management.Automation;
using System.Net.Sockets;
using System.Text;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// <para type="synopsis">Connects to a TCP or Unix socket and reads until the peer closes, -MaxBytes, an -Until delimiter, or -Timeout of silence.</para>
/// <para type="description">The nsock recv command as a cmdlet. Nothing is sent. The data comes back in one result object, as objects while it arrives (-Stream), or in a file that appears only when complete (-OutFile).</para>
/// </summary>
[Cmdlet(VerbsCommunications.Receive, "SocketData", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SocketReceiveResult))]
[OutputType(typeof(SocketData))]
public sealed class ReceiveSocketDataCommand : NsockTlsConnectionCmdlet
{
    private Given<long> _maxBytes;

    private Connected? _connected;
    private Decoder? _decoder;
    private long _offset;

    /// <summary>Stop after this many bytes (nsock recv --bytes).</summary>
    [Parameter]
    [Alias("Bytes")]
    public long MaxBytes
    {
        get => _maxBytes.Value;
        set => _maxBytes.Value = value;
    }

    /// <summary>Stop right after this delimiter (kept in the data), encoded with -Encoding; e.g. "`r`n" for one line.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Until { get; set; }

    /// <summary>Stop right after this byte sequence (for binary delimiters).</summary>
    [Parameter]
    [ValidateNotNull]
    public byte[]? UntilBytes { get; set; }

    /// <summary>Write the data to this file: written beside it and renamed into place only when the read succeeded; after a failure or Ctrl+C what arrived is kept as FILE.partial.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    /// <summary>Write each piece of data as a SocketData object the moment it arrives, instead of one result at the end.</summary>
    [Parameter]
    public SwitchParameter Stream { get; set; }

    /// <summary>How -Until is encoded and the data decoded into Text: utf8 (default), ascii, unicode, latin1, ...</summary>
    [Parameter]
    [EncodingTransformation]
    [ArgumentCompleter(typeof(EncodingCompleter))]
    public Encoding? Encoding { get; set; }

    private Encoding TextEncoding => Encoding ?? EncodingNames.Default;

    /// <summary>
    /// Connects, reads, and writes the result. Bad parameters end the cmdlet before anything opens; a bad row of
    /// pipeline input (its own target) is that row's error, and the next rows are still read.
    /// </summary>
    protected override void ProcessRecord()
    {
        ReceivePlan? plan = null;
        if (TargetPerRecord)
        {
            if (!Try(() => plan = Plan(), TargetText)) return;
        }
        else
        {
            plan = CheckParameters(Plan, TargetText);
        }
        Endpoint ep = plan!.Endpoint;

        string? outPath = OutFile is null ? null : GetUnresolvedProviderPathFromPSPath(OutFile);
        if (outPath is not null && !ShouldProcess(outPath, File.Exists(outPath) ? "Replace with the data received from " + ep : "Write the data received from " + ep)) return;
        AtomicFile? file = null;
        if (outPath is not null && !Try(() => file = new AtomicFile(outPath), outPath)) return;
        using (file)
        {
            Receive(plan, file);
        }
    }

    private ReceivePlan Plan()
    {
        if (Until is not null && UntilBytes is not null) throw BadInput.Error("give -Until or -UntilBytes, not both");
        if (Stream.IsPresent && OutFile is not null) throw BadInput.Error("-Stream writes the data as objects; it does not combine with -OutFile");
        var request = new ReceiveRequest
        {
            Target = TlsTarget(),
            ByteLimit = _maxBytes.OrNull,
            Until = UntilBytes ?? (Until is null ? null : TextEncoding.GetBytes(Until)),
        };
        return request.Validate(ParameterNames.Instance);
    }

    private void Receive(ReceivePlan plan, AtomicFile? file)
    {
        Endpoint ep = plan.Endpoint;
        CaptureStream? capture = file is null && !Stream.IsPresent ? new CaptureStream() : null;
        bool chunks = Stream.IsPresent;
        _decoder = TextEncoding.GetDecoder();
        var run = new EngineRun<ReceiveOutcome>((sink, ct) =>
            plan.RunAsync(new PipelineOutputStream(sink, (System.IO.Stream?)file?.Stream ?? capture, chunks, progress: true), sink, ct), StopToken);

        if (!TryComplete(run, item => Deliver(item, ep, plan.Options), ep.ToString(), out ReceiveOutcome outcome)) return;
        WriteProgress(new ProgressRecord(1, "Receiving from " + ep, "done") { RecordType = ProgressRecordType.Completed });

        string? path = null;
        if (file is not null)
        {
            if (outcome.Succeeded) file.Commit();
            else file.KeepPartial();
            path = outcome.Succeeded ? file.FinalPath : File.Exists(file.PartialPath) ? file.PartialPath : null;
        }
        if (!chunks)
        {
            SocketReceiveResult received = TransferResults.Receive(outcome.Result, ep, outcome.Connected, capture?.ToArray(), path, TextEncoding);
            received.Tls = Tls;
            WriteObject(received);
        }
        if (outcome.Error is NsockException failure) WriteError(ToErrorRecord(failure, ep.ToString()));
    }

    private void Deliver(object item, Endpoint ep, ReceiveOptions options)
    {
        NoteTls(item);
        switch (item)
        {
            case Connected c:
                _connected = c;
                WriteVerbose($"connected to {c.Remote} from {c.Local} ({c.Transport.ToText()})");
                break;
            case DataChunk d:
                char[] chars = new char[_decoder!.GetCharCount(d.Data, 0, d.Data.Length)];
                _decoder.GetChars(d.Data, 0, d.Data.Length, chars, 0);
                WriteObject(new SocketData(_connected?.Remote ?? ep.ToString(), _offset, d.Data, new string(chars)));
                _offset += d.Data.Length;
                break;
            case ByteCount b:
                int percent = options.MaxBytes is long max && max > 0 ? FileProgressTracker.Percent(b.Bytes, max) : -1;
                WriteProgress(new ProgressRecord(1, "Receiving from " + ep, Sizes.Bytes(b.Bytes) + " received") { PercentComplete = percent });
                break;
        }
    }
}
