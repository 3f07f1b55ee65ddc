using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace Nsock.PowerShell.Tests;

/// <summary>One Pester test as Invoke-NsockPester.ps1 reports it.</summary>
internal sealed record PesterTest(string Id, string Result, string? Message);

/// <summary>
/// The Pester suite in pester/, through pwsh: whether it can run here at all (pwsh with Pester 5), its tests
/// (Pester's discovery), and their results (one run for the whole suite, made the first time a result is asked).
/// </summary>
internal static class PesterRun
{
    private static readonly TimeSpan s_probeTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan s_discoveryTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan s_runTimeout = TimeSpan.FromMinutes(20);

    private static readonly Lazy<string?> s_unavailable = new(FindProblem);
    private static readonly Lazy<(IReadOnlyList<PesterTest> Tests, string? Error)> s_discovered = new(() => Invoke("Discover", s_discoveryTimeout));
    private static readonly Lazy<(IReadOnlyList<PesterTest> Tests, string? Error)> s_results = new(() => Invoke("Run", s_runTimeout));

    /// <summary>Why the suite cannot run on this machine, or null when it can.</summary>
    public static string? Unavailable => s_unavailable.Value;

    public static (IReadOnlyList<PesterTest> Tests, string? Error) Discovered => s_discovered.Value;

    public static (IReadOnlyList<PesterTest> Tests, string? Error) Results => s_results.Value;

    private static string? FindProblem()
    {
        if (Pwsh.Path is null) return "no pwsh on PATH: the Pester tests need PowerShell 7 with Pester 5 (Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser)";
        (int code, string output) = Pwsh.Run(s_probeTimeout, Repo.Root, "-Command",
            "$m = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version.Major -ge 5 } | Select-Object -First 1; if ($m) { 'pester ' + $m.Version } else { 'no pester 5' }");
        if (code != 0 || !output.Contains("pester ", StringComparison.Ordinal) || output.Contains("no pester 5", StringComparison.Ordinal))
            return "pwsh has no Pester 5 (Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser): " + output.Trim();
        return null;
    }

    private static (IReadOnlyList<PesterTest>, string?) Invoke(string mode, TimeSpan timeout)
    {
        string outFile = Path.Combine(Path.GetTempPath(), $"nsock-pester-{mode}-{Guid.NewGuid():N}.json");
        try
        {
            (int code, string output) = Pwsh.Run(timeout, Repo.Root, "-File", Path.Combine(Repo.PesterFolder, "Invoke-NsockPester.ps1"), "-Mode", mode, "-OutFile", outFile);
            if (!File.Exists(outFile)) return (Array.Empty<PesterTest>(), $"Invoke-NsockPester.ps1 -Mode {mode} wrote no results (exit code {code}):\n{output}");
            var tests = JsonSerializer.Deserialize<List<PesterTest>>(File.ReadAllText(outFile), new JsonSerializerOptions { PropertyNameCaseInsensitive = true }) ?? new List<PesterTest>();
            return (tests, null);
        }
        finally
        {
            File.Delete(outFile);
        }
    }
}
