# Runs the tests where bash is the wrong tool (Windows), after `bash scripts/build --no-demo` (Git Bash): the three
# xunit projects as scripts/test runs them, with TRX results in artifacts/test-results.
#   ./scripts/test.ps1               every test project (PowerShell 7; the Pester suite runs inside, in pwsh 7)
#   ./scripts/test.ps1 -PesterOnly   the Pester files, in the PowerShell running this script (Windows PowerShell 5.1 in CI)
# Works in Windows PowerShell 5.1 and PowerShell 7. Exit code 0 only when every test passed.
param([switch] $PesterOnly)
$ErrorActionPreference = 'Stop'
Set-Location (Join-Path $PSScriptRoot '..')
$root = (Get-Location).Path
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$exe = if ([System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT) { 'nsock.exe' } else { 'nsock' }
$env:NSOCK_BIN = Join-Path $root (Join-Path 'artifacts' (Join-Path 'bin' $exe))
if (-not (Test-Path $env:NSOCK_BIN)) { throw "no $env:NSOCK_BIN: run 'bash scripts/build --no-demo' first" }

if ($PesterOnly) {
    # Pester 5.7.1 arrives with the restore of the PowerShell test project (a PackageDownload).
    dotnet restore tests/Nsock.PowerShell.Tests -v quiet
    if ($LASTEXITCODE -ne 0) { throw 'dotnet restore failed' }
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME (Join-Path '.nuget' 'packages') }
    Import-Module (Join-Path $packages 'pester/5.7.1/tools/Pester.psd1')
    $env:NSOCK_MODULE_PATH = Join-Path $root 'artifacts/module/nsock'
    $c = New-PesterConfiguration
    $c.Run.Path = Join-Path $root 'tests/Nsock.PowerShell.Tests/pester'
    $c.Output.Verbosity = 'Detailed'
    $c.Run.Exit = $true
    Invoke-Pester -Configuration $c
    return
}

dotnet tool restore
if ($LASTEXITCODE -ne 0) { throw "'dotnet tool restore' failed (PowerShell for the Pester tests)" }
$results = Join-Path $root 'artifacts/test-results'
if (Test-Path $results) { Remove-Item -Recurse -Force $results }
$failed = 0
foreach ($project in 'tests/Nsock.Core.Tests', 'tests/Nsock.Cli.Tests', 'tests/Nsock.PowerShell.Tests') {
    $name = Split-Path -Leaf $project
    Write-Host "== $name"
    dotnet test $project -c Release --nologo --blame-hang-timeout 12min --logger "trx;LogFileName=$name.trx" --logger 'console;verbosity=normal' --results-directory $results
    if ($LASTEXITCODE -ne 0) { $failed++ }
}
if ($failed) { Write-Host "$failed test project(s) failed"; exit 1 }
