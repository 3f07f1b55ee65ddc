using System;
using System.IO;

namespace Nsock.Core;

/// <summary>
/// Turns a relative path that a peer sent into a path inside a root folder, or refuses it: absolute paths,
/// drive letters, <c>..</c>, empty or dot segments, backslashes, control characters, Windows device names and
/// stream names, and any existing symbolic link on the way.
/// </summary>
internal static class SafePath
{
    private static readonly string[] s_devices =
    {
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "CONIN$", "CONOUT$", "COM\u00b9", "COM\u00b2", "COM\u00b3", "LPT\u00b9", "LPT\u00b2", "LPT\u00b3",
    };

    /// <summary>The full path of <paramref name="relative"/> inside <paramref name="root"/>; <see cref="NsockErrorKind.BadInput"/> naming why not.</summary>
    public static string Resolve(string root, string relative)
    {
        if (string.IsNullOrEmpty(relative)) throw Refuse(relative, "it is empty");
        if (relative.IndexOf('\\') >= 0) throw Refuse(relative, "it contains a backslash (the separator is '/')");
        if (relative.StartsWith("/", StringComparison.Ordinal)) throw Refuse(relative, "it is absolute");
        if (relative.Length >= 2 && relative[1] == ':' && char.IsLetter(relative[0])) throw Refuse(relative, "it names a drive");
        if (HasControl(relative)) throw Refuse(relative, "it contains a control character");

        string[] segments = relative.Split('/');
        foreach (string segment in segments)
        {
            if (segment.Length == 0) throw Refuse(relative, "it has an empty segment");
            if (segment == "." || segment == "..") throw Refuse(relative, $"it has a '{segment}' segment");
            if (segment.IndexOf(':') >= 0) throw Refuse(relative, "it contains ':' (a drive or a Windows stream)");
            if (segment.EndsWith(".", StringComparison.Ordinal) || segment.EndsWith(" ", StringComparison.Ordinal))
                throw Refuse(relative, "a segment ends with a dot or a space (Windows would change the name)");
            string stem = segment.Split('.')[0].TrimEnd(' ');
            if (Array.Exists(s_devices, d => string.Equals(d, stem, StringComparison.OrdinalIgnoreCase))) throw Refuse(relative, $"'{segment}' is a Windows device name");
            if (segment.IndexOfAny(new[] { '<', '>', '"', '|', '?', '*' }) >= 0) throw Refuse(relative, $"'{segment}' contains a character Windows forbids in names");
        }

        string fullRoot = Path.GetFullPath(root);
        string full = Path.GetFullPath(Path.Combine(fullRoot, relative.Replace('/', Path.DirectorySeparatorChar)));
        string prefix = fullRoot.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? fullRoot : fullRoot + Path.DirectorySeparatorChar;
        if (!full.StartsWith(prefix, StringComparison.Ordinal)) throw Refuse(relative, "it leads outside the folder");

        // A link already inside the folder could point anywhere: no existing segment may be one.
        string current = fullRoot;
        foreach (string segment in segments)
        {
            current = Path.Combine(current, segment);
            if (!File.Exists(current) && !Directory.Exists(current)) break;
            if (new FileInfo(current).Attributes.HasFlag(FileAttributes.ReparsePoint)) throw Refuse(relative, $"'{segment}' is a symbolic link");
        }
        return full;
    }

    private static bool HasControl(string text)
    {
        foreach (char c in text)
        {
            if (c < 0x20 || c == 0x7f) return true;
        }
        return false;
    }

    private static NsockException Refuse(string relative, string why) => NsockException.BadInput($"unsafe path '{relative}': {why}");
}
