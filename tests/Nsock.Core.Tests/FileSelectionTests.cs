using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>What <c>nsock send-file PATHS... --exclude GLOB</c> turns into files and the relative names they arrive under.</summary>
public sealed class FileSelectionTests : IDisposable
{
    private readonly FileTransferFolder _tmp = new("selection");
    private readonly string _cwd;

    public FileSelectionTests()
    {
        _cwd = _tmp.Folder("cwd");
        foreach (string f in new[] { "top.log", "notes.txt", "app/a.log", "app/b.txt", "app/skip/c.log", "app/sub/d.log", "app/sub/skip/e.log", "data/x.bin", "data/y/z.bin", "data/.dot", "one/same.txt", "two/same.txt" })
            _tmp.File("cwd/" + f, new byte[f.Length]); // sizes differ, so a size mix-up shows
        _tmp.Folder("cwd", "empty");
    }

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void File_is_sent_under_its_own_name_with_its_size_and_full_path()
    {
        FileToSend f = Assert.Single(FileSelection.Expand(new[] { "app/sub/d.log" }, null, _cwd));

        Assert.Equal("d.log", f.RelativePath);
        Assert.Equal(Path.Combine(_cwd, "app", "sub", "d.log"), f.FullPath);
        Assert.Equal("app/sub/d.log".Length, f.Size);
    }

    [Theory]
    [InlineData("data")]
    [InlineData("data/")]
    [InlineData("./data")]
    [InlineData("app/../data")]
    public void Folder_is_sent_recursively_under_its_own_name_in_path_order(string input)
    {
        IReadOnlyList<FileToSend> files = FileSelection.Expand(new[] { input }, null, _cwd);

        Assert.Equal(new[] { "data/.dot", "data/x.bin", "data/y/z.bin" }, Names(files));
        Assert.Equal(Path.Combine(_cwd, "data", "y", "z.bin"), files[2].FullPath);
        Assert.All(files, f => Assert.Equal(new FileInfo(f.FullPath).Length, f.Size));
    }

    [Fact]
    public void Folder_given_by_its_absolute_path_keeps_only_its_own_name()
    {
        IReadOnlyList<FileToSend> files = FileSelection.Expand(new[] { Path.Combine(_cwd, "data") }, null, _tmp.Root);

        Assert.Equal(new[] { "data/.dot", "data/x.bin", "data/y/z.bin" }, Names(files));
    }

    [Fact]
    public void Glob_matches_under_its_path_from_the_current_folder()
    {
        IReadOnlyList<FileToSend> files = FileSelection.Expand(new[] { "**/*.log" }, null, _cwd);

        Assert.Equal(new[] { "app/a.log", "app/skip/c.log", "app/sub/d.log", "app/sub/skip/e.log", "top.log" }, Names(files));
    }

    [Fact]
    public void Glob_with_an_exclude_leaves_out_every_excluded_folder()
    {
        IReadOnlyList<FileToSend> files = FileSelection.Expand(new[] { "**/*.log" }, new[] { "**/skip/**" }, _cwd);

        Assert.Equal(new[] { "app/a.log", "app/sub/d.log", "top.log" }, Names(files));
    }

    [Fact]
    public void Folder_with_an_exclude_leaves_out_matching_files_at_any_depth()
    {
        IReadOnlyList<FileToSend> files = FileSelection.Expand(new[] { "app" }, new[] { "**/skip/**", "**/*.txt" }, _cwd);

        Assert.Equal(new[] { "app/a.log", "app/sub/d.log" }, Names(files));
    }

    [Fact]
    public void Several_excludes_all_apply()
    {
        IReadOnlyList<FileToSend> files = FileSelection.Expand(new[] { "**/*.log" }, new[] { "**/skip/**", "top.log" }, _cwd);

        Assert.Equal(new[] { "app/a.log", "app/sub/d.log" }, Names(files));
    }

    [Fact]
    public void Glob_that_reaches_up_with_dot_dot_yields_names_without_dot_dot()
    {
        IReadOnlyList<FileToSend> files = FileSelection.Expand(new[] { "../app/**/*.log" }, null, Path.Combine(_cwd, "data"));

        Assert.Equal(new[] { "a.log", "skip/c.log", "sub/d.log", "sub/skip/e.log" }, Names(files));
        Assert.All(files, f => Assert.DoesNotContain("..", f.RelativePath));
        Assert.All(files, f => SafePath.Resolve(_tmp.Root, f.RelativePath)); // every name is one a receiver takes
    }

    [Fact]
    public void Pattern_matching_nothing_is_an_error_naming_it()
    {
        NsockException e = Assert.Throws<NsockException>(() => FileSelection.Expand(new[] { "top.log", "**/*.nothing" }, null, _cwd));

        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Equal("'**/*.nothing' matches no file", e.Message);
    }

    [Fact]
    public void Pattern_under_a_folder_that_does_not_exist_is_an_error_naming_it()
    {
        NsockException e = Assert.Throws<NsockException>(() => FileSelection.Expand(new[] { "nope/**/*.log" }, null, _cwd));

        Assert.Equal("'nope/**/*.log' matches no file", e.Message);
    }

    [Fact]
    public void Pattern_whose_every_match_is_excluded_is_an_error_that_says_so()
    {
        NsockException e = Assert.Throws<NsockException>(() => FileSelection.Expand(new[] { "app/skip/*.log" }, new[] { "**/c.log" }, _cwd));

        Assert.Equal("'app/skip/*.log' matches no file (after the excludes)", e.Message);
    }

    [Fact]
    public void Named_file_that_is_excluded_is_an_error_that_says_so()
    {
        NsockException e = Assert.Throws<NsockException>(() => FileSelection.Expand(new[] { "notes.txt" }, new[] { "*.txt" }, _cwd));

        Assert.Equal("'notes.txt' matches no file (after the excludes)", e.Message);
    }

    [Theory]
    [InlineData("missing.txt")]
    [InlineData("app/missing/")]
    [InlineData("/definitely/not/here/x")]
    public void Missing_path_is_an_error_naming_it(string input)
    {
        NsockException e = Assert.Throws<NsockException>(() => FileSelection.Expand(new[] { "top.log", input }, null, _cwd));

        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Equal($"'{input}' does not exist", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_path_is_an_error(string input)
    {
        NsockException e = Assert.Throws<NsockException>(() => FileSelection.Expand(new[] { input }, null, _cwd));

        Assert.Equal("a path to send is empty", e.Message);
    }

    [Fact]
    public void Empty_folder_is_an_error_naming_it()
    {
        NsockException e = Assert.Throws<NsockException>(() => FileSelection.Expand(new[] { "empty" }, null, _cwd));

        Assert.Equal("'empty' matches no file", e.Message);
    }

    [Fact]
    public void Inputs_keep_their_order_and_a_file_named_twice_is_sent_once()
    {
        IReadOnlyList<FileToSend> files = FileSelection.Expand(new[] { "top.log", "data", "top.log", "data/" }, null, _cwd);

        Assert.Equal(new[] { "top.log", "data/.dot", "data/x.bin", "data/y/z.bin" }, Names(files));
    }

    [Fact]
    public void Two_different_files_that_would_arrive_under_one_name_are_not_silently_dropped()
    {
        // one/same.txt and two/same.txt both become "same.txt": sending one and dropping the other without a word
        // loses a file the user named. Either both go (under distinct names) or the selection is refused.
        IReadOnlyList<FileToSend>? files = null;
        NsockException? e = Record.Exception(() => files = FileSelection.Expand(new[] { "one/same.txt", "two/same.txt" }, null, _cwd)) as NsockException;

        if (e is not null) Assert.Contains("same.txt", e.Message);
        else Assert.Equal(2, files!.Select(f => f.FullPath).Distinct().Count());
    }

    private static string[] Names(IEnumerable<FileToSend> files) => files.Select(f => f.RelativePath).ToArray();
}
