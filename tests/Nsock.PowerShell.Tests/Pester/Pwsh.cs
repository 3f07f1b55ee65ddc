using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace Nsock.PowerShell.Tests;

/// <summary>Finds pwsh on PATH and runs it, bounded: a pwsh that hangs is killed and reported, never waited on for ever.</summary>
internal static class Pwsh
{
    private static readonly Lazy<string?> s_path = new(Find);

    /// <summary>The pwsh executable, or null when there is none on PATH.</summary>
    public static string? Path => s_path.Value;

    /// <summary>Runs pwsh with <paramref name="arguments"/>; exit code and everything it printed.</summary>
    public static (int ExitCode, string Output) Run(TimeSpan timeout, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path ?? throw new InvalidOperationException("no pwsh on PATH"))
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "-NoLogo", "-NoProfile", "-NonInteractive" }.Concat(arguments)) start.ArgumentList.Add(a);
        // The tests use the module scripts/build assembled; Pester must not pick up a user's progress bars.
        start.Environment["NSOCK_MODULE_PATH"] = System.IO.Path.Combine(Repo.Root, "artifacts", "module", "nsock");
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
            lock (output) return (-1, $"pwsh did not finish within {timeout.TotalSeconds:0}s and was killed\n{output}");
        }
        process.WaitForExit();
        lock (output) return (process.ExitCode, output.ToString());
    }

    private static string? Find()
    {
        string name = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "pwsh.exe" : "pwsh";
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = System.IO.Path.Combine(dir.Trim('"'), name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
