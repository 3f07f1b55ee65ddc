using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace Nsock.PowerShell.Tests;

/// <summary>
/// module/nsock.psm1, read as text: which build it imports in which edition. Pester's Edition.Tests.ps1 proves the
/// PowerShell 7 half in a real pwsh; there is no Windows PowerShell 5.1 here, so the Desktop half rests on this
/// reading (and on the desktop/ folder ModuleFolderTests checks).
/// </summary>
public sealed class LoaderTests
{
    private static string Loader => File.ReadAllText(Repo.LoaderPath);

    // The statements, without comment lines.
    private static string Code => string.Join("\n", Loader.Split('\n').Where(l => !l.TrimStart().StartsWith('#')));

    [Fact]
    public void Loader_imports_the_cmdlets_from_the_folder_of_the_running_edition() =>
        Assert.Matches(@"Import-Module -Name \(\[System\.IO\.Path\]::Combine\(\$PSScriptRoot, \$edition, 'Nsock\.PowerShell\.dll'\)\) -PassThru -ErrorAction Stop", Code);

    [Fact]
    public void Loader_picks_core_for_PowerShell_7_and_desktop_otherwise()
    {
        // desktop unless the edition is Core: Windows PowerShell 5.1 says Desktop.
        Assert.Matches(@"^\$edition = 'desktop'$", new Regex(@"^\$edition = '\w+'$", RegexOptions.Multiline).Match(Code).Value);
        Match core = Regex.Match(Code, @"if \(\$PSVersionTable\.PSEdition -eq 'Core'\) \{(?<body>[^}]*\{[^}]*\}[^}]*|[^}]*)\}", RegexOptions.Singleline);
        Assert.True(core.Success, "no `if ($PSVersionTable.PSEdition -eq 'Core')` block in nsock.psm1");
        Assert.Contains("$edition = 'core'", core.Groups["body"].Value);
        Assert.Equal(Repo.Editions.Select(e => e.Folder).OrderBy(f => f), Regex.Matches(Code, @"\$edition = '(\w+)'").Select(m => m.Groups[1].Value).OrderBy(f => f));
    }

    [Fact]
    public void Loader_refuses_a_PowerShell_7_older_than_the_net8_0_build_needs()
    {
        Match core = Regex.Match(Code, @"if \(\$PSVersionTable\.PSVersion -lt \[version\]'7\.4'\) \{\s*throw ", RegexOptions.Singleline);
        Assert.True(core.Success, "PowerShell 7.0-7.3 (.NET 6/7) cannot load the net8.0 build: the loader must say so");
    }

    [Fact]
    public void Loader_refuses_a_NET_Framework_older_than_4_7_2_in_Windows_PowerShell()
    {
        // DotNetFrameworkVersion = '4.7.2' is not enforced by 5.1 (it knows versions up to 4.5): the loader reads the
        // release number, 461808 being 4.7.2's first.
        Match desktop = Regex.Match(Code, @"\}\s*else \{(?<body>.*?)\n\}", RegexOptions.Singleline);
        Assert.True(desktop.Success, "no Desktop branch in nsock.psm1");
        Assert.Contains(@"'HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full' -Name Release", desktop.Groups["body"].Value);
        Assert.Matches(@"\$release\.Release -lt 461808\) \{\s*throw ", desktop.Groups["body"].Value);
    }

    [Fact]
    public void Loader_exports_the_cmdlets_it_imported_and_nothing_else() =>
        Assert.Matches(@"Export-ModuleMember -Cmdlet @\(\$binary\.ExportedCmdlets\.Keys\)\s*$", Code);

    [Fact]
    public void Loader_is_written_for_Windows_PowerShell_5_1_too()
    {
        // No PowerShell 7 syntax: null-coalescing, null-conditional member access, ternaries, pipeline chains.
        foreach (string pwsh7 in new[] { "??", "?.", "&&", "||", " ? " })
            Assert.DoesNotContain(pwsh7, Code);
        // Join-Path takes two arguments in 5.1.
        Assert.DoesNotMatch(@"Join-Path\s+\S+\s+\S+\s+\S+", Code);
    }
}
