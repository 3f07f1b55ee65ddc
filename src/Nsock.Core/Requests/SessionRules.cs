using System;
using System.IO;

namespace Nsock.Core;

// The rules of the netcat-style session options that connect, send and listen share: --crlf, --delay, --hex-dump
// and --output. Checked before anything is opened; the record files themselves are created when the session starts.
internal static class SessionRules
{
    /// <summary>The pause between lines: null when not given or 0 (as it comes), else 0..<see cref="Seconds.Max"/>.</summary>
    public static TimeSpan? Delay(double? seconds, IOptionNames names)
    {
        double? s = Seconds.Check(seconds, names.Option(NsockOption.Delay));
        return s is double d && d > 0 ? TimeSpan.FromSeconds(d) : null;
    }

    /// <summary>The record files: each in a folder that exists, and not both the same file.</summary>
    public static void CheckRecordPaths(string? hexDumpPath, string? outputPath, IOptionNames names)
    {
        string? hex = Check(hexDumpPath, NsockOption.HexDump, names);
        string? raw = Check(outputPath, NsockOption.Output, names);
        if (hex is not null && raw is not null && string.Equals(hex, raw, StringComparison.Ordinal))
            throw NsockException.BadInput($"{names.Option(NsockOption.HexDump)} and {names.Option(NsockOption.Output)} name the same file '{hex}': give two files");
    }

    private static string? Check(string? path, NsockOption option, IOptionNames names)
    {
        if (path is null) return null;
        if (path.Trim().Length == 0) throw NsockException.BadInput($"{names.Option(option)} is empty: give a file name");
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw NsockException.BadInput($"{names.Option(option)} '{NsockText.Printable(path)}' is not a usable file name: {e.Message}");
        }
        if (Directory.Exists(full)) throw NsockException.BadInput($"{names.Option(option)} '{NsockText.Printable(path)}' is a folder: give a file name");
        string? folder = Path.GetDirectoryName(full);
        if (folder is not null && !Directory.Exists(folder))
            throw NsockException.BadInput($"{names.Option(option)} '{NsockText.Printable(path)}': the folder '{NsockText.Printable(folder)}' does not exist");
        return full;
    }
}
