using System;
using System.IO;

namespace Nsock.Core;

/// <summary>
/// A file written under a temporary name beside its target and renamed into place only by <see cref="Commit"/>,
/// so a reader never sees it half-written under its final name. Left uncommitted, what was written is kept
/// as <c>NAME.partial</c> (nothing received is lost), or removed when empty.
/// </summary>
public sealed class AtomicFile : IDisposable
{
    private readonly string _tempPath;
    private bool _done;

    private readonly bool _durable;

    /// <summary>
    /// Creates the temporary file in the target's folder (so the final rename never crosses file systems).
    /// <paramref name="durable"/> also flushes it to disk (fsync) before the rename, for files that must survive a power cut.
    /// </summary>
    public AtomicFile(string path, bool durable = false)
    {
        _durable = durable;
        FinalPath = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(FinalPath) ?? ".";
        if (!Directory.Exists(dir)) throw NsockException.BadInput($"folder '{dir}' for '{path}' does not exist");
        _tempPath = Path.Combine(dir, "." + Path.GetFileName(FinalPath) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".nsock-tmp");
        try
        {
            Stream = new FileStream(_tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NsockException(NsockErrorKind.Io, $"cannot create a file in '{dir}': {e.Message}", e);
        }
    }

    /// <summary>Where the file ends up.</summary>
    public string FinalPath { get; }

    /// <summary>Where an unfinished file is kept.</summary>
    public string PartialPath => FinalPath + ".partial";

    /// <summary>The stream to write to.</summary>
    public FileStream Stream { get; }

    /// <summary>Flushes (to disk too when durable) and renames the file to its final name, replacing what was there.</summary>
    public void Commit()
    {
        if (_done) return;
        Stream.Flush(flushToDisk: _durable);
        Stream.Dispose();
        Replace(_tempPath, FinalPath);
        _done = true;
    }

    /// <summary>Keeps what was written as <see cref="PartialPath"/> (removed instead when nothing was written).</summary>
    public void KeepPartial()
    {
        if (_done) return;
        long length = Stream.Length;
        Stream.Dispose();
        if (length == 0) File.Delete(_tempPath);
        else Replace(_tempPath, PartialPath);
        _done = true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            KeepPartial();
        }
        catch (IOException)
        {
            // Disposal must not hide the failure that got us here.
        }
    }

    private static void Replace(string from, string to)
    {
#if NET
        File.Move(from, to, overwrite: true);
#else
        if (File.Exists(to)) File.Delete(to);
        File.Move(from, to);
#endif
    }
}
