# The module as a PowerShell gallery package (artifacts/psgallery/nsock.<version>.nupkg, made by scripts/build with
# Compress-PSResource): a local folder registered as a PSResource repository, Install-PSResource from it, the
# installed copy imported and used on loopback. It all runs in a child pwsh whose HOME (Linux, macOS) is a temporary
# folder, so the repository registration and the CurrentUser install land there and never in the user's own
# configuration or module path. On Windows, where the user's folders do not follow environment variables,
# Save-PSResource puts the module in a temporary folder instead, and the repository is unregistered afterwards.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $props = Get-Content -Raw -Path ([System.IO.Path]::Combine($script:RepoRoot, 'src', 'Directory.Build.props'))
    $script:Version = [regex]::Match($props, '<Version>([^<]+)</Version>').Groups[1].Value
    $script:Gallery = [System.IO.Path]::Combine($script:RepoRoot, 'artifacts', 'psgallery')
}

Describe 'The gallery package' {
    AfterEach { Stop-TestRunspaces }

    It 'is built for the version of src/Directory.Build.props' {
        Test-Path -Path ([System.IO.Path]::Combine($script:Gallery, "nsock.$script:Version.nupkg")) | Should -BeTrue -Because 'scripts/build makes it'
    }

    It 'installs from a local repository with Install-PSResource, imports and answers a probe on loopback' {
        if ($PSVersionTable.PSEdition -ne 'Core' -or -not (Get-Module -ListAvailable Microsoft.PowerShell.PSResourceGet)) {
            Set-ItResult -Skipped -Because 'PSResourceGet ships with PowerShell 7.4+, not Windows PowerShell 5.1'
            return
        }
        $temp = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'nsock-gallery-' + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $temp | Out-Null
        $repository = 'nsock-test-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        $script = @'
param($Gallery, $Repository, $Temp, $Version)
$ErrorActionPreference = 'Stop'
$listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
$listener.Start()
try {
    Register-PSResourceRepository -Name $Repository -Uri $Gallery -Trusted
    if ($IsWindows) {
        Save-PSResource -Name nsock -Version $Version -Repository $Repository -Path $Temp -TrustRepository
    } else {
        Install-PSResource -Name nsock -Version $Version -Repository $Repository -Scope CurrentUser -TrustRepository
    }
    $manifest = Get-ChildItem -Path $Temp -Recurse -Force -Filter nsock.psd1 | Select-Object -First 1
    Import-Module $manifest.FullName
    $m = Get-Module nsock
    $probe = Test-SocketPort -ComputerName 127.0.0.1 -Port $listener.LocalEndpoint.Port
    [pscustomobject]@{ Base = $m.ModuleBase; Version = "$($m.Version)"; State = "$($probe.State)" } | ConvertTo-Json -Compress
} finally {
    $listener.Stop()
    Unregister-PSResourceRepository -Name $Repository -ErrorAction SilentlyContinue
}
'@
        try {
            $scriptFile = [System.IO.Path]::Combine($temp, 'install.ps1')
            Set-Content -Path $scriptFile -Value $script
            $saved = @{ HOME = $env:HOME; XDG_DATA_HOME = $env:XDG_DATA_HOME; XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME; XDG_CACHE_HOME = $env:XDG_CACHE_HOME }
            try {
                if (-not $script:IsWindowsHost) {
                    # The child's user folders: PSResourceGet's repository list and the CurrentUser module path.
                    $env:HOME = $temp; $env:XDG_DATA_HOME = "$temp/share"; $env:XDG_CONFIG_HOME = "$temp/config"; $env:XDG_CACHE_HOME = "$temp/cache"
                }
                # This same PowerShell: its own executable, or dotnet with its pwsh.dll when it runs as a dotnet tool.
                $host_ = [System.Environment]::ProcessPath
                $prefix = @()
                if ([System.IO.Path]::GetFileNameWithoutExtension($host_) -eq 'dotnet') { $prefix = @([System.IO.Path]::Combine($PSHOME, 'pwsh.dll')) }
                $out = & $host_ @prefix -NoLogo -NoProfile -NonInteractive -File $scriptFile -Gallery $script:Gallery -Repository $repository -Temp $temp -Version $script:Version 2>&1
                $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
            } finally {
                foreach ($k in $saved.Keys) { [System.Environment]::SetEnvironmentVariable($k, $saved[$k]) }
            }
            $r = ($out | Select-Object -Last 1) | ConvertFrom-Json
            $r.Version | Should -Be $script:Version
            $r.State | Should -Be 'Open'
            # The copy that was imported is the installed one, under the temporary folder, not the build output.
            [System.IO.Path]::GetFullPath($r.Base).StartsWith([System.IO.Path]::GetFullPath($temp)) | Should -BeTrue -Because "$($r.Base) is under $temp"
        } finally {
            Remove-Item -Recurse -Force -Path $temp -ErrorAction SilentlyContinue
        }
    }
}
