using System;
using System.IO;
using System.Linq;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "nsock-atomic-" + Guid.NewGuid().ToString("N"));

    public AtomicFileTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Commit_renames_the_file_into_place_and_leaves_nothing_else()
    {
        string target = Path.Combine(_dir, "out.bin");
        byte[] data = Payload.Bytes(100_000, seed: 70);
        using (var file = new AtomicFile(target))
        {
            file.Stream.Write(data);
            Assert.False(File.Exists(target), "the final name exists before Commit");
            file.Commit();
        }
        Assert.Equal(data, File.ReadAllBytes(target));
        Assert.Equal(new[] { "out.bin" }, Names());
    }

    [Fact]
    public void Commit_replaces_an_existing_file()
    {
        string target = Path.Combine(_dir, "out.txt");
        File.WriteAllText(target, "old");
        using (var file = new AtomicFile(target))
        {
            file.Stream.Write("new"u8);
            file.Commit();
        }
        Assert.Equal("new", File.ReadAllText(target));
        Assert.Equal(new[] { "out.txt" }, Names());
    }

    [Fact]
    public void An_uncommitted_file_is_kept_as_name_partial()
    {
        string target = Path.Combine(_dir, "out.bin");
        using (var file = new AtomicFile(target))
        {
            file.Stream.Write(new byte[] { 1, 2, 3 });
            Assert.Equal(target + ".partial", file.PartialPath);
        }
        Assert.False(File.Exists(target));
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(target + ".partial"));
        Assert.Equal(new[] { "out.bin.partial" }, Names());
    }

    [Fact]
    public void An_uncommitted_empty_file_is_removed()
    {
        string target = Path.Combine(_dir, "out.bin");
        using (new AtomicFile(target))
        {
        }
        Assert.Empty(Names());
    }

    [Fact]
    public void Keeping_a_partial_file_leaves_an_existing_final_file_alone()
    {
        string target = Path.Combine(_dir, "out.txt");
        File.WriteAllText(target, "good old copy");
        using (var file = new AtomicFile(target))
        {
            file.Stream.Write("half"u8);
        }
        Assert.Equal("good old copy", File.ReadAllText(target));
        Assert.Equal("half", File.ReadAllText(target + ".partial"));
    }

    [Fact]
    public void Commit_after_commit_and_dispose_after_commit_change_nothing()
    {
        string target = Path.Combine(_dir, "out.txt");
        var file = new AtomicFile(target);
        file.Stream.Write("x"u8);
        file.Commit();
        file.Commit();
        file.Dispose();
        Assert.Equal("x", File.ReadAllText(target));
        Assert.Equal(new[] { "out.txt" }, Names());
    }

    [Fact]
    public void A_target_in_a_missing_folder_is_bad_input()
    {
        var e = Assert.Throws<NsockException>(() => new AtomicFile(Path.Combine(_dir, "no-such-folder", "out.bin")));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains("no-such-folder", e.Message);
    }

    private string[] Names() => Directory.GetFiles(_dir).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray()!;
}
