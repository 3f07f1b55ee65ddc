using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>Folders and globs end to end: selection, transfer, and the tree that comes out on the other side.</summary>
public sealed class FileTransferFolderTests : IDisposable
{
    private readonly FileTransferFolder _tmp = new("folder");
    private readonly string _cwd;
    private readonly string _dir;

    public FileTransferFolderTests()
    {
        _cwd = _tmp.Folder("cwd");
        _dir = _tmp.Folder("recv");
        int seed = 0;
        foreach (string f in new[] { "proj/readme.md", "proj/src/main.c", "proj/src/lib/util.c", "proj/src/lib/.keep", "proj/logs/run.log", "proj/logs/skip/old.log", "proj/build/skip/x.log" })
            _tmp.File("cwd/" + f, FileTransferSupport.Bytes(100 + seed * 37, seed++));
    }

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task Folder_tree_arrives_under_the_folder_name_with_every_relative_path_kept()
    {
        IReadOnlyList<FileToSend> files = FileSelection.Expand(new[] { "proj" }, null, _cwd);
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir);

        IReadOnlyList<FileResult> sent = await FileTransferSupport.SendAsync(listener.Endpoint, files);

        Assert.All(sent, r => Assert.True(r.Verified, $"{r.Path}: {r.Reason}"));
        string[] expected = { "proj", "proj/build", "proj/build/skip", "proj/build/skip/x.log", "proj/logs", "proj/logs/run.log", "proj/logs/skip", "proj/logs/skip/old.log",
            "proj/readme.md", "proj/src", "proj/src/lib", "proj/src/lib/.keep", "proj/src/lib/util.c", "proj/src/main.c" };
        Assert.Equal(expected, FileTransferSupport.Entries(_dir));
        foreach (FileToSend f in files)
            Assert.True(FileTransferSupport.SameBytes(f.FullPath, Path.Combine(_dir, f.RelativePath)), f.RelativePath);
    }

    [Fact]
    public async Task Glob_with_an_exclude_sends_only_the_matching_files_under_their_paths_from_the_current_folder()
    {
        IReadOnlyList<FileToSend> files = FileSelection.Expand(new[] { "**/*.log" }, new[] { "**/skip/**" }, _cwd);
        await using FileTransferListener listener = await FileTransferSupport.ReceiverAsync(_dir);

        IReadOnlyList<FileResult> sent = await FileTransferSupport.SendAsync(listener.Endpoint, files);

        Assert.Equal(new[] { "proj/logs/run.log" }, sent.Select(r => r.Path));
        Assert.True(sent[0].Verified);
        Assert.Equal(new[] { "proj", "proj/logs", "proj/logs/run.log" }, FileTransferSupport.Entries(_dir));
        Assert.True(FileTransferSupport.SameBytes(Path.Combine(_cwd, "proj", "logs", "run.log"), Path.Combine(_dir, "proj", "logs", "run.log")));
    }
}
