using System;
using System.Collections.Generic;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// Send-File's progress bars from the engine's FileStarted/FileProgress events: one for the whole run (bytes,
/// rate since the start, time left) and one for the current file under it. Elapsed time is passed in, so the
/// arithmetic is testable without a clock.
/// </summary>
internal sealed class FileProgressTracker
{
    public const int RunId = 1;
    public const int FileId = 2;

    private readonly string _activity;
    private readonly long _totalSize;
    private long _totalDone;

    public FileProgressTracker(string target, int files, long totalSize)
    {
        _activity = $"Sending {files} file{(files == 1 ? "" : "s")} to {target}";
        _totalSize = totalSize;
    }

    public IReadOnlyList<ProgressInfo> On(NsockEvent e, double elapsedSeconds)
    {
        switch (e)
        {
            case FileStarted s:
                string from = s.Offset > 0 ? $", resuming at {Sizes.Bytes(s.Offset)}" : "";
                return new[] { new ProgressInfo(FileId, RunId, s.Path, $"{Sizes.Bytes(s.Size)}{from}", Percent(s.Offset, s.Size), -1, null, false) };
            case FileProgress p:
                _totalDone = p.TotalBytes;
                double rate = elapsedSeconds > 0 ? p.TotalBytes / elapsedSeconds : 0;
                int left = rate > 0 ? (int)Math.Min(int.MaxValue, Math.Ceiling((p.TotalSize - p.TotalBytes) / rate)) : -1;
                return new[]
                {
                    new ProgressInfo(RunId, -1, _activity, $"{Sizes.Bytes(p.TotalBytes)} of {Sizes.Bytes(p.TotalSize)}, {Sizes.Rate(rate)}", Percent(p.TotalBytes, p.TotalSize), left, p.Path, false),
                    new ProgressInfo(FileId, RunId, p.Path, $"{Sizes.Bytes(p.Bytes)} of {Sizes.Bytes(p.Size)}, {Sizes.Rate(p.BytesPerSecond)}", Percent(p.Bytes, p.Size), FileLeft(p), null, false),
                };
            case FileResult r:
                return new[] { new ProgressInfo(FileId, RunId, r.Path, r.Status.ToText(), 100, 0, null, true) };
            default:
                return Array.Empty<ProgressInfo>();
        }
    }

    /// <summary>The records that close both bars at the end of the run.</summary>
    public IReadOnlyList<ProgressInfo> Done() => new[]
    {
        new ProgressInfo(FileId, RunId, _activity, "done", 100, 0, null, true),
        new ProgressInfo(RunId, -1, _activity, $"{Sizes.Bytes(Math.Max(_totalDone, 0))} of {Sizes.Bytes(_totalSize)}", 100, 0, null, true),
    };

    /// <summary>0-100 (100 for an empty file).</summary>
    public static int Percent(long done, long size) => size <= 0 ? 100 : (int)Math.Max(0, Math.Min(100, done * 100 / size));

    private static int FileLeft(FileProgress p) =>
        p.BytesPerSecond > 0 ? (int)Math.Min(int.MaxValue, Math.Ceiling((p.Size - p.Bytes) / p.BytesPerSecond)) : -1;
}
