using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// <para type="synopsis">Sends files, folders and globs to a receiver (New-SocketListener -ReceiveFiles, or nsock listen --receive-files), each verified by XXH3-128 (or SHA-256 with -Hash SHA256), with a result per file.</para>
/// <para type="description">The nsock send-file command as a cmdlet. Paths, globs (*, ?, ** as the command matches them) and FileInfo objects from the pipeline all go over one connection; -Resume continues files the receiver holds a partial of; -Raw sends one file's bytes to a plain byte sink.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Send, "File", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(FileResult))]
public sealed class SendFileCommand : NsockTlsConnectionCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    private readonly List<string> _paths = new();
    private Given<FileHashAlgorithm> _hash;

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

    /// <summary>The digest that verifies each file: XXH128 (XXH3-128, the default) or SHA256 (comparable with Get-FileHash).</summary>
    [Parameter]
    public FileHashAlgorithm Hash
    {
        get => _hash.OrNull ?? SendFilesRequest.DefaultHash;
        set => _hash.Value = value;
    }

    /// <summary>Send just the bytes of one file and half-close, for a plain receiver (nc -l &gt; file); not verified.</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    /// <summary>Checks a target (and the other options) given on the command line before anything is read or opened.</summary>
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (!TargetPerRecord) CheckParameters(() => Request().ValidateOptions(ParameterNames.Instance), TargetText);
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

    private SendFilesRequest Request() => new()
    {
        Target = TlsTarget(),
        Paths = _paths.ToArray(),
        Exclude = Exclude,
        CurrentFolder = CurrentFolder,
        Resume = Resume.IsPresent,
        Raw = Raw.IsPresent,
        // Only a digest the user chose: the request refuses one with -Raw, and applies its default otherwise.
        Hash = _hash.OrNull,
    };

    /// <summary>The request's plan; a path that does not exist is PathNotFound, said as every cmdlet says it.</summary>
    private static SendFilesPlan Plan(SendFilesRequest request)
    {
        try
        {
            return request.Validate(ParameterNames.Instance);
        }
        catch (NsockException e) when (e.InnerException is FileNotFoundException missing)
        {
            throw new FileNotFoundException($"Cannot find path '{missing.FileName}' because it does not exist.", missing.FileName, e);
        }
    }

    private void SendCollected(bool terminating)
    {
        SendFilesRequest request = Request();
        string paths = string.Join(", ", _paths);
        _paths.Clear();
        SendFilesPlan? plan = null;
        if (terminating)
        {
            CheckParameters(() => request.ValidateOptions(ParameterNames.Instance), TargetText);
            plan = CheckParameters(() => Plan(request), paths);
        }
        else if (!Try(() => request.ValidateOptions(ParameterNames.Instance), TargetText) || !Try(() => plan = Plan(request), paths))
        {
            return; // that row's error is written; the next rows still go
        }

        Endpoint ep = plan!.Endpoint;
        SendFilesPlan chosen = plan.Only(f => ShouldProcess($"{f.FullPath} ({Sizes.Bytes(f.Size)}) as '{f.RelativePath}'", "Send to " + ep));
        if (chosen.Files.Count == 0) return;
        if (chosen.Raw) SendRaw(chosen);
        else SendVerified(chosen);
    }

    private void SendVerified(SendFilesPlan plan)
    {
        string ep = plan.Endpoint.ToString();
        var progress = new FileProgressTracker(ep, plan.Files.Count, plan.Files.Sum(f => f.Size));
        var clock = Stopwatch.StartNew();
        var run = new EngineRun<SendFilesOutcome>(plan.RunAsync, StopToken);
        void Deliver(object item)
        {
            NoteTls(item);
            if (item is not NsockEvent e) return;
            foreach (ProgressInfo info in progress.On(e, clock.Elapsed.TotalSeconds)) Write(info);
            if (e is not FileResult r) return;
            WriteObject(WithTls(r));
            if (!r.Succeeded) WriteError(ToErrorRecord(ErrorMapping.ForFile(r), $"'{r.Path}' did not arrive: {r.Status.ToText()}{(r.Reason is null ? "" : " (" + r.Reason + ")")}", r));
        }

        // A file that did not arrive is its own error above; the outcome's count of them is the command's exit code.
        TryComplete(run, Deliver, ep, out _);
        foreach (ProgressInfo info in progress.Done()) Write(info);
    }

    // Over TLS each result carries what the handshake settled (a Tls note property), as Send-SocketData's does.
    private object WithTls(FileResult r)
    {
        if (Tls is null) return r;
        PSObject o = PSObject.AsPSObject(r);
        o.Properties.Add(new PSNoteProperty("Tls", Tls));
        return o;
    }

    private void SendRaw(SendFilesPlan plan)
    {
        var run = new EngineRun<SendFilesOutcome>(plan.RunAsync, StopToken);
        if (TryComplete(run, NoteTls, plan.Endpoint.ToString(), out SendFilesOutcome sent)) WriteObject(WithTls(sent.Results[0]));
    }
}
