using System;
using System.IO;

namespace Nsock.Core;

// Where --exec's program is, found before anything is bound, as a shell would find it: a name with a slash is a path,
// a bare name is looked up in PATH (on Windows also with each PATHEXT extension).
internal static class ProgramPath
{
    public static string? Find(string program)
    {
        if (program.IndexOf('/') >= 0 || program.IndexOf('\\') >= 0) return File.Exists(program) ? Path.GetFullPath(program) : null;
        string[] extensions = IsWindows ? ("" + ";" + (Environment.GetEnvironmentVariable("PATHEXT") ?? ".EXE;.CMD;.BAT")).Split(';') : new[] { "" };
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length == 0) continue;
            foreach (string ext in extensions)
            {
                string candidate = Path.Combine(dir, program + ext);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }

    private static bool IsWindows => Path.DirectorySeparatorChar == '\\';
}
