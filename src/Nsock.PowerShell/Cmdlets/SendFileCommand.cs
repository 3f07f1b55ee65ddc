using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// <para type="synopsis">Sends files, folders and globs to a receiver (New-SocketListener -ReceiveFiles, or nsock listen --receive-files), each verified by SHA-256, with a result per file.</para>
/// <para type="description">The nsock send-file command as a cmdlet. Paths, globs (*, ?, ** as the command matches them) and FileInfo objects from the pipeline all go over one connection; -Resume continues files the receiver holds a partial of; -Raw sends one file's bytes to a plain byte sink.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Send, "File", DefaultParameterSetName = ComputerNamePathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(FileResult))]
public sealed class SendFileCommand : NsockCmdlet
{
    private const string ComputerNamePathSet = "ComputerNamePath";
    private const string ComputerNameLiteralPathSet = "ComputerNameLiteralPath";
    private const string EndpointPathSet = "EndpointPath";
    private const string EndpointLiteralPathSet = "EndpointLiteralPath";

    private readonly List<string> _paths = new();
    private readonly List<string> _literal = new();

    /// <summary>The receiver's host.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ComputerNamePathSet)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ComputerNameLiteralPathSet)]
    [Alias("Cn", "HostName")]
    [ValidateNotNullOrEmpty]
    public string? ComputerName { get; set; }

    /// <summary>The receiver's port.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ComputerNamePathSet)]
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ComputerNameLiteralPathSet)]
    [ValidateRange(1, 65535)]
    public int Port { get; set; }

    /// <summary>The receiver, in the nsock command's syntax: host:port, [v6addr]:port, unix:/path.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = EndpointPathSet)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = EndpointLiteralPathSet)]
    [ValidateNotNullOrEmpty]
    public string? Endpoint { get; set; }

    /// <summary>Files, folders (sent recursively under their own name) and globs (*.log, logs/**/*.log), relative to the current location.</summary>
    [Parameter(Mandatory = true, Position = 2, ValueFromPipeline = true, ParameterSetName = ComputerNamePathSet)]
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ParameterSetName = EndpointPathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Files and folders, names taken literally; FileInfo and DirectoryInfo objects from Get-ChildItem bind here.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ComputerNameLiteralPathSet)]
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = EndpointLiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>Leave out files matching these globs (matched against the path the receiver gets).</summary>
    [Parameter]
    [SupportsWildcards]
    public string[]? Exclude { get; set; }

    /// <summary>Continue files the receiver holds a partial of (the whole file is still verified).</summary>
    [Parameter]
    public SwitchParameter Resume { get; set; }

    /// <summary>Send just the bytes of one file and half-close, for a plain receiver (nc -l &gt; file); not verified.</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    /// <summary>Seconds allowed for the connect (default 10) and for each answer of the receiver (default 60); 0: no limit.</summary>
    [Parameter]
    [Alias("TimeoutSec")]
    public double Timeout { get; set; }

    /// <summary>Use IPv4 only.</summary>
    [Parameter]
    public SwitchParameter IPv4 { get; set; }

    /// <summary>Use IPv6 only.</summary>
    [Parameter]
    public SwitchParameter IPv6 { get; set; }

    /// <summary>Collects paths (all files go over one connection).</summary>
    protected override void ProcessRecord()
    {
        // PowerShell paths (~, drives, provider-qualified) become file system paths; wildcards stay for the engine's globs.
        foreach (string p in Path) _paths.Add(GetUnresolvedProviderPathFromPSPath(p));
        foreach (string p in LiteralPath)
        {
            string full = GetUnresolvedProviderPathFromPSPath(p);
            _paths.Add(full);
            _literal.Add(full);
        }
    }

    /// <summary>Expands the paths, asks (with -WhatIf/-Confirm) per file, sends, writes one result per file as it completes.</summary>
    protected override void EndProcessing()
    {
        var p = new FileSendParameters
        {
            Endpoint = Endpoint,
            ComputerName = ComputerName,
            Port = ComputerName is null ? null : Port,
            Resume = Resume.IsPresent,
            Raw = Raw.IsPresent,
            Timeout = Given(nameof(Timeout), Timeout),
            IPv4 = IPv4.IsPresent,
            IPv6 = IPv6.IsPresent,
        };
        Endpoint ep = CheckParameters(() => FileSendMapper.Endpoint(p), Endpoint ?? ComputerName);
        IReadOnlyList<FileToSend> all = CheckParameters(() => FileSelection.Expand(_paths, Exclude, CurrentFolder), string.Join(", ", _paths));

        var files = all.Where(f => ShouldProcess($"{f.FullPath} ({Sizes.Bytes(f.Size)}) as '{f.RelativePath}'", "Send to " + ep)).ToList();
        if (files.Count == 0) return;
        if (Raw.IsPresent) SendRaw(ep, p, files);
        else SendVerified(ep, p, files);
    }

    private void SendVerified(Endpoint ep, FileSendParameters p, IReadOnlyList<FileToSend> files)
    {
        FileSendOptions options = FileSendMapper.Options(p);
        var progress = new FileProgressTracker(ep.ToString(), files.Count, files.Sum(f => f.Size));
        var clock = Stopwatch.StartNew();
        var run = new EngineRun<IReadOnlyList<FileResult>>((sink, ct) => FileSender.SendAsync(ep, files, options, sink, ct), StopToken);
        void Deliver(object item)
        {
            if (item is not NsockEvent e) return;
            foreach (ProgressInfo info in progress.On(e, clock.Elapsed.TotalSeconds)) Write(info);
            if (e is not FileResult r) return;
            WriteObject(r);
            if (!r.Succeeded) WriteError(ToErrorRecord(ErrorMapping.ForFile(r), $"'{r.Path}' did not arrive: {r.Status}{(r.Reason is null ? "" : " (" + r.Reason + ")")}", r));
        }

        TryComplete(run, Deliver, ep.ToString(), out _);
        foreach (ProgressInfo info in progress.Done()) Write(info);
    }

    private void SendRaw(Endpoint ep, FileSendParameters p, IReadOnlyList<FileToSend> files)
    {
        SendOptions options = CheckParameters(() => FileSendMapper.Raw(p, files), ep.ToString());
        var run = new EngineRun<FileResult>((sink, ct) => FileSender.SendRawAsync(ep, files[0], options, sink, ct), StopToken);
        if (TryComplete(run, _ => { }, ep.ToString(), out FileResult sent)) WriteObject(sent);
    }
}
