# The build of the module for the running edition: nsock.psm1 imports core/ (net8.0) in PowerShell 7.4+ and desktop/
# (netstandard2.0) in Windows PowerShell 5.1. In PowerShell 7 the module must then do what the nsock command does,
# with the engine's .NET 8 paths: Unix sockets, OperationTimeout on an idle peer, exec bits kept, atomic replace.

BeforeDiscovery {
    # -Skip is decided at discovery, before BeforeAll runs: what it needs is known here.
    $script:IsCore = $PSVersionTable.PSEdition -eq 'Core'
    $script:IsWindowsHost = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
    $script:Python = Get-Command python3 -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Python = Get-Command python3 -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1

    function Get-TargetFramework([System.Reflection.Assembly] $Assembly) {
        $Assembly.GetCustomAttributes([System.Runtime.Versioning.TargetFrameworkAttribute], $false) | ForEach-Object FrameworkName
    }

    function Start-PythonUnixPeer {
        # An independent peer on a Unix socket: python3 accepts one client, then either sends $Send and closes (-Mode
        # send), or reads to the client's half-close and answers 'python got: <what it read>' (-Mode answer).
        # Every socket wait is bounded; stop it with Stop-PythonUnixPeer.
        param([Parameter(Mandatory)] [string] $Path, [ValidateSet('send', 'answer')] [string] $Mode, [string] $Send = '')
        $code = @'
import os, socket, sys
path, mode, send = sys.argv[1], sys.argv[2], sys.argv[3]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(1)
s.settimeout(10)
c, _ = s.accept()
c.settimeout(10)
if mode == 'send':
    c.sendall(send.encode())
else:
    got = b''
    while True:
        chunk = c.recv(65536)
        if not chunk:
            break
        got += chunk
    c.sendall(b'python got: ' + got)
c.close()
s.close()
os.unlink(path)
'@
        $start = [System.Diagnostics.ProcessStartInfo]::new($script:Python.Source)
        foreach ($a in '-c', $code, $Path, $Mode, $Send) { $start.ArgumentList.Add($a) }
        $start.UseShellExecute = $false
        $start.RedirectStandardError = $true
        $process = [System.Diagnostics.Process]::Start($start)
        if (-not (Wait-Until { Test-Path -LiteralPath $Path })) {
            Stop-PythonUnixPeer $process
            throw "python3 did not listen on $Path within $script:WaitSeconds seconds: $($process.StandardError.ReadToEnd())"
        }
        $process
    }

    function Stop-PythonUnixPeer([System.Diagnostics.Process] $Process) {
        # Ends this test's own python3 (by its process object), bounded.
        if (-not $Process.WaitForExit(5000)) { $Process.Kill(); $null = $Process.WaitForExit(5000) }
        $Process.Dispose()
    }

    function Watch-Folder {
        # Records the deletions and renames in a folder (inotify on Linux): a replace by rename(2) shows no deletion
        # of the file it replaces; delete-then-move does.
        param([Parameter(Mandatory)] [string] $Folder)
        $id = 'nsock-edition-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        $w = [System.IO.FileSystemWatcher]::new($Folder)
        $null = Register-ObjectEvent -InputObject $w -EventName Deleted -SourceIdentifier "$id.Deleted"
        $null = Register-ObjectEvent -InputObject $w -EventName Renamed -SourceIdentifier "$id.Renamed"
        $w.EnableRaisingEvents = $true
        [pscustomobject]@{ Watcher = $w; Id = $id }
    }

    function Get-FolderEvents {
        # Waits (bounded) until $Name has been renamed into place, then returns the names deleted and renamed to.
        param([Parameter(Mandatory)] $Watch, [Parameter(Mandatory)] [string] $Name)
        $renamedTo = { @(Get-Event -SourceIdentifier "$($Watch.Id).Renamed" -ErrorAction SilentlyContinue | ForEach-Object { $_.SourceEventArgs.Name }) }
        $null = Wait-Until { (& $renamedTo) -contains $Name }
        [pscustomobject]@{
            Deleted = @(Get-Event -SourceIdentifier "$($Watch.Id).Deleted" -ErrorAction SilentlyContinue | ForEach-Object { $_.SourceEventArgs.Name })
            Renamed = & $renamedTo
        }
    }

    function Stop-Watch([Parameter(Mandatory)] $Watch) {
        $Watch.Watcher.Dispose()
        foreach ($kind in 'Deleted', 'Renamed') {
            Unregister-Event -SourceIdentifier "$($Watch.Id).$kind" -ErrorAction SilentlyContinue
            Get-Event -SourceIdentifier "$($Watch.Id).$kind" -ErrorAction SilentlyContinue | Remove-Event
        }
    }
}

AfterAll {
    Get-SocketListener | Stop-SocketListener
}

Describe 'The build loaded for the edition' {
    # A test that failed before its own finally leaves no runspace running into the next one.
    AfterEach { Stop-TestRunspaces }

    It 'loads the build of the running edition: net8.0 from core/ in PowerShell 7, netstandard2.0 from desktop/ in 5.1' {
        # One test for both editions (no skip): whichever edition runs it checks its own build.
        $cmdlets = (Get-Command Send-SocketData).ImplementingType.Assembly
        $engine = [Nsock.Core.NsockException].Assembly
        $isCore = $PSVersionTable.PSEdition -eq 'Core'
        $expected = if ($isCore) { '.NETCoreApp,Version=v8.0' } else { '.NETStandard,Version=v2.0' }
        Get-TargetFramework $cmdlets | Should -Be $expected
        Get-TargetFramework $engine | Should -Be $expected
        Split-Path -Leaf (Split-Path -Parent $cmdlets.Location) | Should -Be $(if ($isCore) { 'core' } else { 'desktop' })
        Split-Path -Parent $engine.Location | Should -Be (Split-Path -Parent $cmdlets.Location)
    }

    It 'has one copy of each of its assemblies loaded, after a forced re-import too' {
        Import-Module $script:ModulePath -Force -ErrorAction Stop
        foreach ($name in 'Nsock.PowerShell', 'Nsock.Core') {
            @([System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq $name }) | Should -HaveCount 1 -Because "$name must load once"
        }
    }

    It 'exports the cmdlets through the loader under the module name nsock' {
        (Get-Module nsock).RootModule | Should -Be 'nsock.psm1'
        (Get-Command Send-SocketData).ModuleName | Should -Be 'nsock'
        @(Get-Command -Module nsock).Count | Should -Be 10
    }

    It 'finds the cmdlet help (descriptions, parameters, examples) through the loader' {
        $help = Get-Help Send-SocketData -Full
        ($help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
        (($help.Parameters.Parameter | Where-Object Name -eq 'Reply').Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
        (Get-Help about_nsock | Out-String) | Should -Match 'nsock'
    }

    It 'removes the cmdlets when the module is removed, and imports them again' {
        try {
            Remove-Module nsock -ErrorAction Stop
            Get-Command Send-SocketData -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            @(Get-Module -All | Where-Object Name -eq 'Nsock.PowerShell') | Should -HaveCount 0
        }
        finally { Import-Module $script:ModulePath -ErrorAction Stop }
        (Get-Command Send-SocketData).ModuleName | Should -Be 'nsock'
    }
}

Describe 'The engine paths of PowerShell 7 in the module' {
    # A test that failed before its own finally leaves no runspace running into the next one.
    AfterEach { Stop-TestRunspaces }

    It 'sends to and receives from a Unix socket (an nsock listener)' -Skip:($script:IsWindowsHost -or -not $script:IsCore) {
        $path = New-UnixSocketPath
        $l = New-SocketListener -Endpoint "unix:$path" -Echo -Background
        try {
            $r = Send-SocketData -Endpoint "unix:$path" -InputObject 'edition unix' -Reply -Timeout 5
            $r.Transport | Should -Be 'unix'
            $r.ReplyText | Should -Be 'edition unix'
        }
        finally { $l | Stop-SocketListener }
    }

    It 'sends to and receives from a Unix socket (a python3 peer)' -Skip:($script:IsWindowsHost -or -not $script:IsCore -or -not $script:Python) {
        $path = New-UnixSocketPath
        $py = Start-PythonUnixPeer -Path $path -Mode answer
        try {
            (Send-SocketData -Endpoint "unix:$path" -InputObject 'to python' -Reply -Timeout 5).ReplyText | Should -Be 'python got: to python'
        }
        finally { Stop-PythonUnixPeer $py }
        $path = New-UnixSocketPath
        $py = Start-PythonUnixPeer -Path $path -Mode send -Send 'from python'
        try {
            (Receive-SocketData -Endpoint "unix:$path" -Timeout 5).Text | Should -Be 'from python'
        }
        finally { Stop-PythonUnixPeer $py }
    }

    It 'reports an idle peer as OperationTimeout, not as an aborted receive' -Skip:(-not $script:IsCore) {
        $peer = Start-SilentPeer
        try {
            $err = $null
            $null = Receive-SocketData 127.0.0.1 $peer.LocalEndpoint.Port -Timeout 0.5 -ErrorAction SilentlyContinue -ErrorVariable err
            $err | Should -HaveCount 1
            "$($err[0].CategoryInfo.Category)" | Should -Be 'OperationTimeout'
            $err[0].FullyQualifiedErrorId | Should -BeLike 'TimedOut,*'
            "$($err[0].Exception.Message)" | Should -Not -Match 'OperationAborted'
        }
        finally { $peer.Stop() }
    }

    It 'keeps the exec bit of a file sent to a -ReceiveFiles listener' -Skip:($script:IsWindowsHost -or -not $script:IsCore) {
        $src = Join-Path $TestDrive 'run.sh'
        Set-Content -LiteralPath $src -Value "#!/bin/sh`necho hi`n" -NoNewline
        $rwxr_xr_x = [System.IO.UnixFileMode] 'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute'
        [System.IO.File]::SetUnixFileMode($src, $rwxr_xr_x)
        $in = New-Item -ItemType Directory -Path (Join-Path $TestDrive ('in-exec-' + [guid]::NewGuid().ToString('N').Substring(0, 8)))
        $rx = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -ReceiveFiles $in.FullName -Background
        try {
            $r = Send-File -ComputerName 127.0.0.1 -Port $rx.Port -LiteralPath $src -Timeout 10
            $r.Verified | Should -BeTrue
            $mode = [System.IO.File]::GetUnixFileMode((Join-Path $in.FullName 'run.sh'))
            ($mode -band [System.IO.UnixFileMode]::UserExecute) | Should -Be ([System.IO.UnixFileMode]::UserExecute)
            $mode | Should -Be $rwxr_xr_x
        }
        finally { $rx | Stop-SocketListener }
    }

    It 'replaces an existing -OutFile by renaming over it, never deleting it first' -Skip:($script:IsWindowsHost -or -not $script:IsCore) {
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive ('out-' + [guid]::NewGuid().ToString('N').Substring(0, 8)))
        $out = Join-Path $folder.FullName 'got.txt'
        Set-Content -LiteralPath $out -Value 'old' -NoNewline
        $watch = Watch-Folder $folder.FullName
        $peer = Start-Peer -InputObject 'new data'
        try {
            $null = Receive-SocketData 127.0.0.1 $peer.Port -OutFile $out -Timeout 5
            $seen = Get-FolderEvents $watch -Name 'got.txt'
            $seen.Renamed | Should -Contain 'got.txt'
            $seen.Deleted | Should -Not -Contain 'got.txt' -Because 'a reader must never find the file missing'
            Get-Content -LiteralPath $out -Raw | Should -Be 'new data'
        }
        finally { $peer | Stop-SocketListener; Stop-Watch $watch }
    }

    It 'replaces a received file (-Overwrite) by renaming over it, never deleting it first' -Skip:($script:IsWindowsHost -or -not $script:IsCore) {
        $in = New-Item -ItemType Directory -Path (Join-Path $TestDrive ('in-replace-' + [guid]::NewGuid().ToString('N').Substring(0, 8)))
        Set-Content -LiteralPath (Join-Path $in.FullName 'data.txt') -Value 'old' -NoNewline
        $src = New-Item -ItemType Directory -Path (Join-Path $TestDrive ('src-replace-' + [guid]::NewGuid().ToString('N').Substring(0, 8)))
        Set-Content -LiteralPath (Join-Path $src.FullName 'data.txt') -Value 'new contents' -NoNewline
        $watch = Watch-Folder $in.FullName
        $rx = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -ReceiveFiles $in.FullName -Overwrite -Background
        try {
            (Send-File -ComputerName 127.0.0.1 -Port $rx.Port -LiteralPath (Join-Path $src.FullName 'data.txt') -Timeout 10).Verified | Should -BeTrue
            $seen = Get-FolderEvents $watch -Name 'data.txt'
            $seen.Renamed | Should -Contain 'data.txt'
            $seen.Deleted | Should -Not -Contain 'data.txt' -Because 'a reader must never find the file missing'
            Get-Content -LiteralPath (Join-Path $in.FullName 'data.txt') -Raw | Should -Be 'new contents'
        }
        finally { $rx | Stop-SocketListener; Stop-Watch $watch }
    }
}
