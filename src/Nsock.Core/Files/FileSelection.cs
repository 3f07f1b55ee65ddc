using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Extensions.FileSystemGlobbing;

namespace Nsock.Core;

/// <summary>
/// Expands what the user named into files: a file is sent under its name, a folder recursively under its own
/// name (relative paths kept), a glob (<c>*</c>, <c>?</c>, <c>**</c>, as Microsoft.Extensions.FileSystemGlobbing
/// matches them) under its path below the part before its first wildcard (<c>logs/**/*.log</c> sends
/// <c>logs/a/x.log</c> as <c>a/x.log</c>, so <c>../</c> never reaches the receiver). Excludes are globs matched
/// against the path inside a named folder and against the path as it arrives. A name without wildcards that does
/// not exist is an error naming it (reported before anything is expanded), and so are something that matches
/// nothing, two files that would arrive under one name, and a file that is not regular (a FIFO, a device, a socket).
/// </summary>
internal static class FileSelection
{
    /// <summary>The files, in the order named (each folder and glob sorted by path), without duplicates.</summary>
    public static IReadOnlyList<FileToSend> Expand(IEnumerable<string> inputs, IEnumerable<string>? excludes, string currentFolder)
    {
        var named = new List<string>(inputs);
        string[] excluded = excludes is null ? Array.Empty<string>() : new List<string>(excludes).ToArray();
        // Every name without wildcards must exist: a typo is named before any folder or glob is walked.
        foreach (string input in named)
        {
            if (string.IsNullOrWhiteSpace(input)) throw NsockException.BadInput("a path to send is empty");
            string full = Path.GetFullPath(Path.Combine(currentFolder, input));
            if (!IsGlob(input) && !File.Exists(full) && !Directory.Exists(full)) throw Missing(input, full);
        }

        var files = new List<FileToSend>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string input in named)
        {
            string full = Path.GetFullPath(Path.Combine(currentFolder, input));
            // Each found path is described (its size read) and then, for a file or a folder, checked against the excludes.
            List<(string Full, string Relative)> found;
            bool filter = true;
            if (File.Exists(full)) found = new() { (full, Path.GetFileName(full)) };
            else if (Directory.Exists(full)) found = Folder(full, excluded);
            else if (IsGlob(input)) (found, filter) = (Glob(input, currentFolder, excluded), false);
            else throw Missing(input, full); // it existed a moment ago

            int matched = 0;
            foreach ((string path, string relative) in found)
            {
                FileToSend f = Describe(path, relative);
                if (filter && IsExcluded(f.RelativePath, excluded)) continue;
                matched++;
                // A FIFO, a device or a socket has no size to announce and no end to verify (and opening a FIFO waits
                // for a writer): refused by name, before anything is sent. Its bytes can still go as a stream: nsock send < it.
                if (RegularFile.OtherKind(f.FullPath) is string kind)
                    throw NsockException.BadInput($"'{f.FullPath}' is not a regular file (it is {kind}): send-file sends regular files; exclude it, or send its bytes with nsock send < it");
                if (seen.TryGetValue(f.RelativePath, out string? other))
                {
                    if (other != f.FullPath) throw NsockException.BadInput($"'{other}' and '{f.FullPath}' would both arrive as '{f.RelativePath}'");
                    continue;
                }
                seen[f.RelativePath] = f.FullPath;
                files.Add(f);
            }
            if (matched == 0) throw NsockException.BadInput($"'{input}' matches no file" + (excluded.Length > 0 ? " (after the excludes)" : ""));
        }
        return files;
    }

    private static bool IsGlob(string input) => input.IndexOfAny(new[] { '*', '?' }) >= 0;

    /// <summary>BadInput naming the path as given; the inner FileNotFoundException names it in full, for a face's own not-found error.</summary>
    private static NsockException Missing(string input, string full) =>
        new(NsockErrorKind.BadInput, $"'{input}' does not exist", new FileNotFoundException($"'{full}' does not exist", full));

    private static List<(string Full, string Relative)> Folder(string folder, string[] excluded)
    {
        string name = Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude("**/*");
        matcher.AddExcludePatterns(excluded);
        var found = new List<(string Full, string Relative)>();
        foreach (string p in Sorted(matcher.GetResultsInFullPath(folder))) found.Add((p, name + "/" + Relative(folder, p)));
        return found;
    }

    private static List<(string Full, string Relative)> Glob(string pattern, string currentFolder, string[] excluded)
    {
        // The root is the part before the first wildcard segment, so "../logs/**/*.log" works too.
        string[] parts = pattern.Replace('\\', '/').Split('/');
        int firstWild = Array.FindIndex(parts, p => p.IndexOfAny(new[] { '*', '?' }) >= 0);
        string rootText = string.Join("/", parts, 0, firstWild);
        string root = Path.GetFullPath(Path.Combine(currentFolder, rootText.Length == 0 ? "." : rootText));
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(string.Join("/", parts, firstWild, parts.Length - firstWild));
        matcher.AddExcludePatterns(excluded);
        var found = new List<(string Full, string Relative)>();
        if (!Directory.Exists(root)) return found;
        foreach (string p in Sorted(matcher.GetResultsInFullPath(root))) found.Add((p, Relative(root, p)));
        return found;
    }

    // By path, ordinal. Loops and Array.Sort rather than LINQ: each LINQ call adds its generic code to the native
    // binary (issue #13), and so would List.Sort, to every List<T> in it. The paths are distinct, so a sort that is
    // not stable orders them the same.
    private static string[] Sorted(IEnumerable<string> paths)
    {
        string[] sorted = new List<string>(paths).ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        return sorted;
    }

    private static bool IsExcluded(string relative, string[] excluded)
    {
        if (excluded.Length == 0) return false;
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddIncludePatterns(excluded);
        return matcher.Match(relative).HasMatches;
    }

    private static string Relative(string root, string path) =>
        path.Substring(root.TrimEnd(Path.DirectorySeparatorChar).Length + 1).Replace(Path.DirectorySeparatorChar, '/');

    private static FileToSend Describe(string full, string relative) => new(full, relative, new FileInfo(full).Length);
}
