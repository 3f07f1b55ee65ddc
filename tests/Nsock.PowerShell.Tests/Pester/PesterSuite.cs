using System.Linq;
using Xunit;

namespace Nsock.PowerShell.Tests;

/// <summary>
/// Every Pester test of pester/*.Tests.ps1 as its own xunit result, with Pester's failure message. Each file
/// runs once, in its own pwsh, through Invoke-Pester, against the module scripts/build assembled
/// (artifacts/module/nsock); rows come from Pester's own discovery, so a new Pester test is a new row.
/// </summary>
public sealed class PesterSuite
{
    public static TheoryData<string> Tests()
    {
        var data = new TheoryData<string>();
        if (PesterRun.Unavailable is not null)
        {
            data.Add("(skipped: " + PesterRun.Unavailable + ")");
            return data;
        }
        (var tests, string? error) = PesterRun.Discovered;
        if (error is not null) data.Add("(discovery failed)");
        foreach (PesterTest t in tests) data.Add(t.Id);
        if (data.Count == 0) data.Add("(no Pester tests found)");
        return data;
    }

    [PesterTheory]
    [MemberData(nameof(Tests))]
    public void Pester(string test)
    {
        if (test == "(discovery failed)") Assert.Fail(PesterRun.Discovered.Error);
        Assert.False(test == "(no Pester tests found)", "Pester discovered no tests in " + Repo.PesterFolder);
        PesterTest? r = PesterRun.Result(test);
        Assert.True(r is not null, $"'{test}' was discovered but is not in the results of its file's run");
        Assert.True(r!.Result is "Passed" or "Skipped", $"{r.Result}: {r.Message}");
    }
}
