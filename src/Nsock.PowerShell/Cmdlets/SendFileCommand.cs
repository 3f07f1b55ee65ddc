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
[Cmdlet(VerbsCommunications.Send, "File", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(FileResult))]
public sealed class SendFileCommand : NsockConnectionCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    private readonly List<string> _paths = new();

    /// <summary>Files, folders (sent recursively under their own name) and globs (*.log, logs/**/*.log), relative to the current location.</summary>
    [Parameter(Mandatory = true, Position = 2, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Files and folders, names taken literally; FileInfo and DirectoryInfo objects from Get-ChildItem bind here.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
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

    /// <summary>Checks a target given on the command line before anything is read or opened.</summary>
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (!TargetPerRecord) CheckParameters(() => FileSendMapper.Endpoint(Parameters()), TargetText);
    }

    /// <summary>
    /// Collects paths: with the receiver on the command line, every file goes over one connection at the end; a
    /// record that names its own receiver (ComputerName/Port or Endpoint by property name) is sent at once.
    /// </summary>
    protected override void ProcessRecord()
    {
        // PowerShell paths (~, drives, provider-qualified) become file system paths; wildcards stay for the engine's globs.
        foreach (string p in Path) _paths.Add(GetUnresolvedProviderPathFromPSPath(p));
        foreach (string p in LiteralPath) _paths.Add(GetUnresolvedProviderPathFromPSPath(p));
        if (TargetPerRecord) SendCollected(terminating: false);
    }

    /// <summary>Expands the paths, asks (with -WhatIf/-Confirm) per file, sends, writes one result per file as it completes.</summary>
    protected override void EndProcessing()
    {
        if (!TargetPerRecord) SendCollected(terminating: true);
    }

    /// <summary>The files to send; a path without wildcards that does not exist is PathNotFound, as in every cmdlet.</summary>
    private IReadOnlyList<FileToSend> Expand()
    {
        foreach (string path in _paths)
        {
            if (path.IndexOfAny(new[] { '*', '?', '[' }) < 0 && !File.Exists(path) && !Directory.Exists(path))
                throw new FileNotFoundException($"Cannot find path '{path}' because it does not exist.", path);
        }
        return FileSelection.Expand(_paths, Exclude, CurrentFolder);
    }

    private FileSendParameters Parameters() => new()
    {
        Endpoint = Endpoint,
        ComputerName = ComputerName,
        Port = GivenPort,
        Resume = Resume.IsPresent,
        Raw = Raw.IsPresent,
        Timeout = Timeouts.Check(GivenTimeout),
        IPv4 = IPv4.IsPresent,
        IPv6 = IPv6.IsPresent,
    };

    private void SendCollected(bool terminating)
    {
        FileSendParameters p = Parameters();
        string paths = string.Join(", ", _paths);
        Endpoint? ep = null;
        IReadOnlyList<FileToSend>? all = null;
        if (terminating)
        {
            ep = CheckParameters(() => FileSendMapper.Endpoint(p), TargetText);
            all = CheckParameters(Expand, paths);
        }
        else if (!Try(() => ep = FileSendMapper.Endpoint(p), TargetText) || !Try(() => all = Expand(), paths))
        {
            _paths.Clear();
            return; // that row's error is written; the next rows still go
        }
        _paths.Clear();

        var files = all!.Where(f => ShouldProcess($"{f.FullPath} ({Sizes.Bytes(f.Size)}) as '{f.RelativePath}'", "Send to " + ep)).ToList();
        if (files.Count == 0) return;
        if (Raw.IsPresent) SendRaw(ep!, p, files);
        else SendVerified(ep!, p, files);
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
