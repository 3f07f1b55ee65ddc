using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace Nsock.PowerShell.Tests;

/// <summary>
/// Finds PowerShell 7 and runs it, bounded: a pwsh that hangs is killed (with its children) and reported, never
/// waited on for ever. Which pwsh: $NSOCK_PWSH when set; else the repository's local dotnet tool
/// (.config/dotnet-tools.json pins PowerShell 7.6.9, `dotnet tool restore` installs it); else pwsh on PATH.
/// </summary>
internal static class Pwsh
{
    private static readonly Lazy<(string File, string[] Prefix)?> s_command = new(Find);

    /// <summary>How pwsh is started, for messages; null when there is none.</summary>
    public static string? Description => s_command.Value is { } c ? string.Join(" ", new[] { c.File }.Concat(c.Prefix)) : null;

    /// <summary>Runs pwsh with <paramref name="arguments"/>; exit code, everything it printed, and whether it was killed for time.</summary>
    public static (int ExitCode, string Output, bool TimedOut) Run(TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        (string file, string[] prefix) = s_command.Value ?? throw new InvalidOperationException("no pwsh: run 'dotnet tool restore' in the repository");
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = Repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in prefix.Concat(new[] { "-NoLogo", "-NoProfile", "-NonInteractive" }).Concat(arguments)) start.ArgumentList.Add(a);
        // The tests use the module scripts/build assembled, and the Pester this project restored.
        start.Environment["NSOCK_MODULE_PATH"] = Path.Combine(Repo.Root, "artifacts", "module", "nsock");
        if (PesterModule.Path is string pester) start.Environment["NSOCK_PESTER"] = pester;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        start.Environment["POWERSHELL_UPDATECHECK"] = "Off";
        if (environment is not null) foreach (var kv in environment) start.Environment[kv.Key] = kv.Value;
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
            lock (output) return (-1, $"pwsh did not finish within {timeout.TotalSeconds:0}s and was killed\n{output}", true);
        }
        process.WaitForExit();
        lock (output) return (process.ExitCode, output.ToString(), false);
    }

    private static (string, string[])? Find()
    {
        if (Environment.GetEnvironmentVariable("NSOCK_PWSH") is { Length: > 0 } given) return (given, Array.Empty<string>());
        if (File.Exists(Path.Combine(Repo.Root, ".config", "dotnet-tools.json"))) return ("dotnet", new[] { "tool", "run", "pwsh", "--" });
        string name = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "pwsh.exe" : "pwsh";
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir.Trim('"'), name);
            if (File.Exists(candidate)) return (candidate, Array.Empty<string>());
        }
        return null;
    }
}
