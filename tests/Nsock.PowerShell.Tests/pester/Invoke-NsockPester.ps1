#Requires -Version 7.0
<#
.SYNOPSIS
    Runs the nsock module's Pester tests and writes one JSON object per test (Id, File, Line, Result, Message) to -OutFile.
.DESCRIPTION
    Used by tests/Nsock.PowerShell.Tests (PesterSuite), which turns each test into an xunit result and runs each file
    in a pwsh of its own. To run the tests yourself: scripts/pester [file].
    -Mode Discover lists the tests without running them. -ExcludeLine (path:line) leaves out tests that hung before.
    Pester is imported from $env:NSOCK_PESTER (the Pester.psd1 the test project restored) when set.
#>
param(
    [ValidateSet('Discover', 'Run')] [string] $Mode = 'Run',
    [Parameter(Mandatory)] [string] $OutFile,
    [string[]] $Path = @($PSScriptRoot),
    [string[]] $ExcludeLine = @()
)
$ErrorActionPreference = 'Stop'
if ($env:NSOCK_PESTER) { Import-Module $env:NSOCK_PESTER } else { Import-Module Pester -MinimumVersion 5.0.0 }

$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Run.SkipRun = ($Mode -eq 'Discover')
$config.Output.Verbosity = 'None'
$ExcludeLine = @($ExcludeLine | ForEach-Object { $_ -split "," } | Where-Object { $_ })
if ($ExcludeLine.Count) { $config.Filter.ExcludeLine = $ExcludeLine }
$result = Invoke-Pester -Configuration $config

function Get-Message($records) {
    @($records | Where-Object { $_ } | ForEach-Object {
            if ($_.PSObject.Properties['DisplayErrorMessage']) { $_.DisplayErrorMessage } else { "$($_.Exception.Message)" }
        }) -join "`n"
}

$rows = [System.Collections.Generic.List[object]]::new()
foreach ($t in $result.Tests) {
    $message = Get-Message $t.ErrorRecord
    if (-not $message -and "$($t.Result)" -eq 'Failed') { $message = Get-Message $t.Block.ErrorRecord }
    $rows.Add([pscustomobject]@{
            Id           = (Split-Path -Leaf $t.ScriptBlock.File) + ' :: ' + $t.ExpandedPath
            File         = $t.ScriptBlock.File
            Line         = $t.StartLine
            ExpandedPath = $t.ExpandedPath
            Result       = "$($t.Result)"
            Message      = $message
        })
}
# A file that could not even be discovered (a syntax error, a failing BeforeDiscovery) is a failure of its own.
foreach ($c in $result.Containers | Where-Object { "$($_.Result)" -eq 'Failed' -and $_.Tests.Count -eq 0 }) {
    $rows.Add([pscustomobject]@{
            Id           = (Split-Path -Leaf "$($c.Item)") + ' :: (file)'
            File         = "$($c.Item)"
            Line         = 0
            ExpandedPath = '(file)'
            Result       = 'Failed'
            Message      = Get-Message $c.ErrorRecord
        })
}
ConvertTo-Json -InputObject @($rows) -Depth 3 | Set-Content -LiteralPath $OutFile -Encoding utf8
