using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace Nsock.PowerShell.Tests;

/// <summary>One Pester test as Invoke-NsockPester.ps1 reports it.</summary>
internal sealed record PesterTest(string Id, string File, int Line, string ExpandedPath, string Result, string? Message);

/// <summary>
/// The Pester suite in pester/, through pwsh: whether it can run here at all (pwsh 7 with Pester 5), its tests
/// (Pester's discovery), and their results. Each file runs in a pwsh of its own, the first time one of its tests is
/// asked for, so a file that crashes pwsh fails only its own tests. A file still running after
/// <see cref="FileTimeout"/> is killed; the test that was running (the first after the last one finished, which
/// every Describe's AfterEach notes) fails alone as hung, and the file runs again without it.
/// </summary>
internal static class PesterRun
{
    /// <summary>Longest a file may run: each test bounds its own waits (10 s), so this only catches a real hang.</summary>
    public static readonly TimeSpan FileTimeout =
        double.TryParse(Environment.GetEnvironmentVariable("NSOCK_PESTER_FILE_TIMEOUT"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double s) && s > 0
            ? TimeSpan.FromSeconds(s)
            : TimeSpan.FromMinutes(3);

    private const int MaxHungPerFile = 2;
    private static readonly TimeSpan s_probeTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan s_discoveryTimeout = TimeSpan.FromMinutes(3);

    private static readonly Lazy<string?> s_unavailable = new(FindProblem);
    private static readonly Lazy<(IReadOnlyList<PesterTest> Tests, string? Error)> s_discovered = new(Discover);
    private static readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<PesterTest>>> s_files = new(StringComparer.Ordinal);

    /// <summary>Why the suite cannot run on this machine, or null when it can.</summary>
    public static string? Unavailable => s_unavailable.Value;

    public static (IReadOnlyList<PesterTest> Tests, string? Error) Discovered => s_discovered.Value;

    /// <summary>The result of the discovered test <paramref name="id"/> (running its file if that has not run yet).</summary>
    public static PesterTest? Result(string id)
    {
        PesterTest? t = Discovered.Tests.FirstOrDefault(x => x.Id == id);
        if (t is null) return null;
        IReadOnlyList<PesterTest> results = s_files.GetOrAdd(t.File, f => new Lazy<IReadOnlyList<PesterTest>>(() => RunFile(f))).Value;
        return results.FirstOrDefault(x => x.Id == id);
    }

    private static string? FindProblem()
    {
        if (Pwsh.Description is null) return "no pwsh: run 'dotnet tool restore' in the repository (it installs PowerShell 7.6.9 from .config/dotnet-tools.json)";
        if (PesterModule.Path is null) return "Pester 5.7.1 was not restored: run 'dotnet restore tests/Nsock.PowerShell.Tests'";
        (int code, string output, _) = Pwsh.Run(s_probeTimeout, null, "-Command",
            "Import-Module $env:NSOCK_PESTER; 'pwsh ' + $PSVersionTable.PSVersion + ' pester ' + (Get-Module Pester).Version");
        if (code != 0 || !output.Contains(" pester 5.", StringComparison.Ordinal))
            return $"{Pwsh.Description} could not load Pester from {PesterModule.Path} (exit code {code}): {output.Trim()}";
        return null;
    }

    private static (IReadOnlyList<PesterTest>, string?) Discover()
    {
        (IReadOnlyList<PesterTest>? tests, string? error, _) = Invoke("Discover", Repo.PesterFolder, Array.Empty<string>(), s_discoveryTimeout, null);
        return (tests ?? Array.Empty<PesterTest>(), error);
    }

    private static IReadOnlyList<PesterTest> RunFile(string file)
    {
        List<PesterTest> expected = Discovered.Tests.Where(t => t.File == file).ToList();
        var hung = new List<PesterTest>();
        var excluded = new List<string>();
        while (true)
        {
            string progress = Path.Combine(Path.GetTempPath(), $"nsock-pester-progress-{Guid.NewGuid():N}.txt");
            try
            {
                (IReadOnlyList<PesterTest>? results, string? error, bool timedOut) =
                    Invoke("Run", file, excluded, FileTimeout, new Dictionary<string, string> { ["NSOCK_PESTER_PROGRESS"] = progress });
                if (results is not null) return results.Concat(hung).ToList();
                PesterTest? culprit = timedOut ? FirstUnfinished(expected, progress, hung) : null;
                if (culprit is null || hung.Count >= MaxHungPerFile)
                    return expected.Select(t => t with { Result = "Failed", Message = error }).ToList();
                hung.Add(culprit with { Result = "Failed", Message = $"hung: did not finish within {FileTimeout.TotalSeconds:0}s, so its file's pwsh was killed and the file ran again without it" });
                excluded.Add($"{culprit.File}:{culprit.Line}");
            }
            finally
            {
                File.Delete(progress);
            }
        }
    }

    /// <summary>Tests run in discovery order, so the hung one is the first (not already blamed) after those finished.</summary>
    private static PesterTest? FirstUnfinished(IReadOnlyList<PesterTest> expected, string progress, IReadOnlyList<PesterTest> hung)
    {
        var finished = new HashSet<string>(File.Exists(progress) ? File.ReadAllLines(progress) : Array.Empty<string>(), StringComparer.Ordinal);
        return expected.FirstOrDefault(t => !finished.Contains(t.ExpandedPath) && hung.All(h => h.Line != t.Line));
    }

    private static (IReadOnlyList<PesterTest>?, string?, bool TimedOut) Invoke(string mode, string path, IReadOnlyList<string> excludeLines, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment)
    {
        string outFile = Path.Combine(Path.GetTempPath(), $"nsock-pester-{mode}-{Guid.NewGuid():N}.json");
        try
        {
            var args = new List<string> { "-File", Path.Combine(Repo.PesterFolder, "Invoke-NsockPester.ps1"), "-Mode", mode, "-OutFile", outFile, "-Path", path };
            if (excludeLines.Count > 0) { args.Add("-ExcludeLine"); args.Add(string.Join(",", excludeLines)); }
            (int code, string output, bool timedOut) = Pwsh.Run(timeout, environment, args.ToArray());
            if (!File.Exists(outFile)) return (null, $"Invoke-NsockPester.ps1 -Mode {mode} {path} wrote no results (exit code {code}):\n{output}", timedOut);
            var tests = JsonSerializer.Deserialize<List<PesterTest>>(File.ReadAllText(outFile), new JsonSerializerOptions { PropertyNameCaseInsensitive = true }) ?? new List<PesterTest>();
            return (tests, null, false);
        }
        finally
        {
            File.Delete(outFile);
        }
    }
}
