using System;
using System.IO;
using System.Threading;
using Nsock.Core;
using Xunit;

namespace Nsock.PowerShell.Tests;

public sealed class FileSendMapperTests
{
    [Fact]
    public void The_receiver_may_take_the_engine_s_sixty_seconds_unless_a_timeout_is_given()
    {
        FileSendOptions o = FileSendMapper.Options(new FileSendParameters { ComputerName = "h", Port = 1 });
        Assert.Equal(TimeSpan.FromSeconds(60), o.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(10), o.Connect.Timeout);
        FileSendOptions given = FileSendMapper.Options(new FileSendParameters { ComputerName = "h", Port = 1, Timeout = 5, Resume = true });
        Assert.Equal(TimeSpan.FromSeconds(5), given.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(5), given.Connect.Timeout);
        Assert.True(given.Resume);
        Assert.Equal(Timeout.InfiniteTimeSpan, FileSendMapper.Options(new FileSendParameters { ComputerName = "h", Port = 1, Timeout = 0 }).Timeout);
    }

    [Fact]
    public void Files_never_go_over_udp() =>
        Assert.Equal(NsockErrorKind.BadInput, Assert.Throws<NsockException>(() => FileSendMapper.Endpoint(new FileSendParameters { Endpoint = "udp://127.0.0.1:9" })).Kind);

    [Fact]
    public void Raw_sends_exactly_one_file_and_cannot_resume()
    {
        var one = new[] { new FileToSend("/a", "a", 1) };
        var two = new[] { new FileToSend("/a", "a", 1), new FileToSend("/b", "b", 1) };
        Assert.Equal(TimeSpan.FromSeconds(10), FileSendMapper.Raw(new FileSendParameters(), one).ReplyTimeout);
        Assert.Throws<NsockException>(() => FileSendMapper.Raw(new FileSendParameters(), two));
        Assert.Throws<NsockException>(() => FileSendMapper.Raw(new FileSendParameters { Resume = true }, one));
        FileResult r = FileResult.ForRaw(one[0].RelativePath, new SendResult("x", 10, 0, 0, 2, true));
        Assert.Equal("sent", r.Status);
        Assert.Equal(5, r.BytesPerSecond);
        Assert.False(r.Verified);
    }

    [Fact]
    public void Two_named_files_of_the_same_name_are_refused_by_the_selection_not_dropped_silently()
    {
        string root = Directory.CreateTempSubdirectory("nsock-ps-").FullName;
        try
        {
            string a = Path.Combine(root, "a", "x.log"), b = Path.Combine(root, "b", "x.log");
            Directory.CreateDirectory(Path.GetDirectoryName(a)!);
            Directory.CreateDirectory(Path.GetDirectoryName(b)!);
            File.WriteAllText(a, "1");
            File.WriteAllText(b, "2");
            var e = Assert.Throws<NsockException>(() => FileSelection.Expand(new[] { a, b }, null, root));
            Assert.Equal(NsockErrorKind.BadInput, e.Kind);
            Assert.Contains("x.log", e.Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
