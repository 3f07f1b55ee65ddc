using System.Linq;
using Nsock.Core;
using Xunit;

namespace Nsock.PowerShell.Tests;

public sealed class FileProgressTrackerTests
{
    [Fact]
    public void Progress_shows_bytes_rate_and_time_left_for_the_run_and_the_file()
    {
        var t = new FileProgressTracker("tcp://h:1", files: 2, totalSize: 100);
        var started = t.On(new FileStarted("a.bin", 60, 0), 0).Single();
        Assert.Equal(FileProgressTracker.FileId, started.Id);
        Assert.Equal(FileProgressTracker.RunId, started.ParentId);

        var p = t.On(new FileProgress("a.bin", 30, 60, 10, 50, 100), elapsedSeconds: 5);
        ProgressInfo run = p.Single(x => x.Id == FileProgressTracker.RunId), file = p.Single(x => x.Id == FileProgressTracker.FileId);
        Assert.Equal(50, run.PercentComplete);
        Assert.Equal(5, run.SecondsRemaining);   // 50 bytes left at 10 bytes/s
        Assert.Contains("10 B/s", run.Status);
        Assert.Equal("a.bin", run.CurrentOperation);
        Assert.Equal(50, file.PercentComplete);
        Assert.Equal(3, file.SecondsRemaining);  // 30 bytes left at 10 bytes/s
        Assert.Equal(-1, run.ParentId);
    }

    [Fact]
    public void A_file_result_completes_its_bar_and_the_end_completes_both()
    {
        var t = new FileProgressTracker("tcp://h:1", 1, 10);
        Assert.True(t.On(new FileResult("a", 10, null, true, FileStatus.Sent, null, 0, 1, 10), 1).Single().Completed);
        Assert.All(t.Done(), p => Assert.True(p.Completed));
    }

    [Fact]
    public void Percent_is_bounded_and_an_empty_file_is_done() 
    {
        Assert.Equal(100, FileProgressTracker.Percent(0, 0));
        Assert.Equal(100, FileProgressTracker.Percent(20, 10));
        Assert.Equal(33, FileProgressTracker.Percent(1, 3));
    }

    [Fact]
    public void Sizes_are_in_PowerShell_s_units()
    {
        Assert.Equal("512 B", Sizes.Bytes(512));
        Assert.Equal("1.5 KB", Sizes.Bytes(1536));
        Assert.Equal("2.0 MB/s", Sizes.Rate(2 * 1024 * 1024));
    }
}
