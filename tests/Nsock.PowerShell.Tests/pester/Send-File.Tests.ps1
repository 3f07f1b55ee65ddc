# Send-File to a -ReceiveFiles listener: paths, globs, folders, FileInfo from the pipeline, -Exclude, -Resume,
# -Raw, -WhatIf, per-file results and errors.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')

    function New-Receiver {
        # A receiving listener on a free port and the folder it writes into.
        param([switch] $Overwrite, [long] $MaxBytes = -1)
        $dir = New-Item -ItemType Directory -Path (Join-Path $TestDrive ('in-' + [guid]::NewGuid().ToString('N').Substring(0, 8)))
        $p = @{ Port = 0; LocalAddress = '127.0.0.1'; ReceiveFiles = $dir.FullName; KeepOpen = $true; Background = $true; Overwrite = $Overwrite }
        if ($MaxBytes -ge 0) { $p.MaxBytes = $MaxBytes }
        $l = New-SocketListener @p
        [pscustomobject]@{ Listener = $l; Port = $l.Port; Folder = $dir.FullName }
    }

    $script:src = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'src')
    $null = New-Item -ItemType Directory -Path (Join-Path $script:src.FullName 'logs/deep')
    Set-Content -LiteralPath (Join-Path $script:src.FullName 'a.log') -Value 'log a' -NoNewline
    Set-Content -LiteralPath (Join-Path $script:src.FullName 'b.log') -Value 'log b' -NoNewline
    Set-Content -LiteralPath (Join-Path $script:src.FullName 'c.txt') -Value 'text c' -NoNewline
    Set-Content -LiteralPath (Join-Path $script:src.FullName 'logs/deep/d.log') -Value 'log d' -NoNewline
    Set-Content -LiteralPath (Join-Path $script:src.FullName 'logs/skip.tmp') -Value 'tmp' -NoNewline
}

AfterAll {
    Get-SocketListener | Stop-SocketListener
}

Describe 'Send-File' {
    # A test that failed before its own finally leaves no runspace running into the next one.
    AfterEach { Stop-TestRunspaces }
    It 'sends a file with named parameters and returns a verified result' {
        $rx = New-Receiver
        try {
            $r = Send-File -ComputerName 127.0.0.1 -Port $rx.Port -Path (Join-Path $script:src.FullName 'a.log')
            $r | Should -BeOfType ([Nsock.Core.FileResult])
            $r.Path | Should -Be 'a.log'
            $r.Status | Should -Be 'sent'
            $r.Verified | Should -BeTrue
            $r.Size | Should -Be 5
            $r.Algorithm | Should -Be 'XXH128'
            $r.Digest | Should -Match '^[0-9a-f]{32}$'
            Get-Content -LiteralPath (Join-Path $rx.Folder 'a.log') -Raw | Should -Be 'log a'
        }
        finally { $rx.Listener | Stop-SocketListener }
    }

    It 'takes host, port and paths by position, or an -Endpoint' {
        $rx = New-Receiver
        try {
            (Send-File 127.0.0.1 $rx.Port (Join-Path $script:src.FullName 'a.log')).Verified | Should -BeTrue
            # -Endpoint is named only, so host and port by position never compete with it for position 0.
            (Send-File -Endpoint "127.0.0.1:$($rx.Port)" -Path (Join-Path $script:src.FullName 'b.log')).Verified | Should -BeTrue
            (Send-File 127.0.0.1 $rx.Port -LiteralPath (Join-Path $script:src.FullName 'c.txt')).Verified | Should -BeTrue
        }
        finally { $rx.Listener | Stop-SocketListener }
    }

    It 'sends FileInfo objects from Get-ChildItem, one result each' {
        $rx = New-Receiver
        try {
            $r = @(Get-ChildItem -LiteralPath $script:src.FullName -Filter *.log | Send-File -ComputerName 127.0.0.1 -Port $rx.Port)
            $r | Should -HaveCount 2
            @($r | ForEach-Object Path | Sort-Object) | Should -Be @('a.log', 'b.log')
            $r | ForEach-Object { $_.Verified | Should -BeTrue }
        }
        finally { $rx.Listener | Stop-SocketListener }
    }

    It 'sends paths piped as strings' {
        $rx = New-Receiver
        try {
            $r = @((Join-Path $script:src.FullName 'a.log'), (Join-Path $script:src.FullName 'c.txt') | Send-File 127.0.0.1 $rx.Port)
            $r | Should -HaveCount 2
        }
        finally { $rx.Listener | Stop-SocketListener }
    }

    It 'expands globs (** at any depth) relative to the current location, and -Exclude leaves files out' {
        $rx = New-Receiver
        Push-Location -LiteralPath $script:src.FullName
        try {
            $r = @(Send-File 127.0.0.1 $rx.Port -Path '*.log', 'logs/**/*' -Exclude '*.tmp')
            @($r | ForEach-Object Path | Sort-Object) | Should -Be @('a.log', 'b.log', 'deep/d.log')
            Test-Path -LiteralPath (Join-Path $rx.Folder 'deep/d.log') | Should -BeTrue
        }
        finally {
            Pop-Location
            $rx.Listener | Stop-SocketListener
        }
    }

    It 'sends a folder recursively under its own name' {
        $rx = New-Receiver
        try {
            $r = @(Send-File 127.0.0.1 $rx.Port -LiteralPath (Join-Path $script:src.FullName 'logs'))
            @($r | ForEach-Object Path | Sort-Object) | Should -Be @('logs/deep/d.log', 'logs/skip.tmp')
        }
        finally { $rx.Listener | Stop-SocketListener }
    }

    It 'skips a file the receiver has, without an error, and replaces it when the receiver has -Overwrite' {
        $rx = New-Receiver
        $rw = New-Receiver -Overwrite
        try {
            Set-Content -LiteralPath (Join-Path $rx.Folder 'a.log') -Value 'old' -NoNewline
            Set-Content -LiteralPath (Join-Path $rw.Folder 'a.log') -Value 'old' -NoNewline
            $skipped = Send-File 127.0.0.1 $rx.Port (Join-Path $script:src.FullName 'a.log') -ErrorAction Stop
            $skipped.Status | Should -Be 'skipped'
            $skipped.Succeeded | Should -BeTrue
            Get-Content -LiteralPath (Join-Path $rx.Folder 'a.log') -Raw | Should -Be 'old'
            (Send-File 127.0.0.1 $rw.Port (Join-Path $script:src.FullName 'a.log')).Verified | Should -BeTrue
            Get-Content -LiteralPath (Join-Path $rw.Folder 'a.log') -Raw | Should -Be 'log a'
        }
        finally { $rx.Listener, $rw.Listener | Stop-SocketListener }
    }

    It 'resumes a partial file with -Resume and still verifies the whole file' {
        $rx = New-Receiver
        $big = Join-Path $TestDrive 'big.bin'
        $bytes = [byte[]]::new(100000)
        (New-Object System.Random 7).NextBytes($bytes)
        [System.IO.File]::WriteAllBytes($big, $bytes)
        try {
            # What an interrupted transfer leaves at the receiver: the first part, under the hidden partial name.
            [System.IO.File]::WriteAllBytes((Join-Path $rx.Folder '.big.bin.nsock-partial'), $bytes[0..39999])
            $r = Send-File 127.0.0.1 $rx.Port $big -Resume -Hash Sha256
            $r.Verified | Should -BeTrue
            $r.ResumedFrom | Should -Be 40000
            (Get-FileHash -LiteralPath (Join-Path $rx.Folder 'big.bin') -Algorithm SHA256).Hash | Should -Be (Get-FileHash -LiteralPath $big -Algorithm SHA256).Hash
            $r.Sha256 | Should -Be (Get-FileHash -LiteralPath $big -Algorithm SHA256).Hash.ToLowerInvariant()
        }
        finally { $rx.Listener | Stop-SocketListener }
    }

    It 'sends nothing with -WhatIf' {
        $rx = New-Receiver
        try {
            Send-File 127.0.0.1 $rx.Port (Join-Path $script:src.FullName 'a.log') -WhatIf | Should -BeNullOrEmpty
            @(Get-ChildItem -LiteralPath $rx.Folder -Force) | Should -HaveCount 0
            $rx.Listener.Clients | Should -Be 0
        }
        finally { $rx.Listener | Stop-SocketListener }
    }

    It 'sends one file raw to a plain byte sink with -Raw' {
        $peer = Start-Peer
        try {
            $r = Send-File 127.0.0.1 $peer.Port (Join-Path $script:src.FullName 'c.txt') -Raw
            $r.Status | Should -Be 'sent'
            $r.Verified | Should -BeFalse
            $peer.WaitForEnd([TimeSpan]::FromSeconds(10)) | Should -BeTrue
            $peer.ReceivedText | Should -Be 'text c'
        }
        finally { $peer | Stop-SocketListener }
    }

    It 'refuses two named files that would land on one name at the receiver, before connecting (as nsock send-file)' {
        $rx = New-Receiver
        $other = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'other')
        Set-Content -LiteralPath (Join-Path $other.FullName 'a.log') -Value 'other a' -NoNewline
        try {
            $err = $null
            try { Send-File 127.0.0.1 $rx.Port -LiteralPath (Join-Path $script:src.FullName 'a.log'), (Join-Path $other.FullName 'a.log') } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -BeLike 'BadInput,*'
            "$err" | Should -BeLike "*would both arrive as 'a.log'*"
            $rx.Listener.Clients | Should -Be 0
        }
        finally { $rx.Listener | Stop-SocketListener }
    }
}

Describe 'Send-File errors' {
    # A test that failed before its own finally leaves no runspace running into the next one.
    AfterEach { Stop-TestRunspaces }
    It 'writes a refused file as a result and a PermissionDenied error' {
        $rx = New-Receiver -MaxBytes 1
        try {
            $err = $null
            $r = Send-File 127.0.0.1 $rx.Port (Join-Path $script:src.FullName 'a.log') -ErrorAction SilentlyContinue -ErrorVariable err
            $r.Status | Should -Be 'refused'
            "$($err[0].CategoryInfo.Category)" | Should -Be 'PermissionDenied'
            $err[0].FullyQualifiedErrorId | Should -BeLike 'FileRefused,*'
            $err[0].TargetObject | Should -Be $r
        }
        finally { $rx.Listener | Stop-SocketListener }
    }

    It 'rejects what does not exist, UDP, and -Raw with several files, before connecting' {
        # A missing file is PathNotFound (ObjectNotFound) in every cmdlet, as Get-Item says it.
        $err = $null
        try { Send-File 127.0.0.1 9 (Join-Path $TestDrive 'missing.txt') } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
        "$($err.CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
        { Send-File -Endpoint 'udp://127.0.0.1:9' -Path (Join-Path $script:src.FullName 'a.log') } | Should -Throw -ErrorId 'BadInput,*'
        { Send-File 127.0.0.1 9 (Join-Path $script:src.FullName '*.log') -Raw } | Should -Throw -ErrorId 'BadInput,*'
    }

    It 'reports a refused connection as a ConnectionError' {
        { Send-File 127.0.0.1 (Get-ClosedTcpPort) (Join-Path $script:src.FullName 'a.log') -ErrorAction Stop } | Should -Throw -ErrorId 'ConnectionRefused,*'
    }
}

Describe 'Send-File as scripts use it' {
    AfterEach { Stop-TestRunspaces }

    It 'sends each Import-Csv row to the receiver it names, with its Path' {
        $a = New-Receiver
        $b = New-Receiver
        try {
            $rows = @(
                [pscustomobject]@{ ComputerName = '127.0.0.1'; Port = $a.Port; Path = (Join-Path $script:src.FullName 'a.log') }
                [pscustomobject]@{ RemoteAddress = '127.0.0.1'; RemotePort = $b.Port; Path = (Join-Path $script:src.FullName 'b.log') }
            )
            $r = @($rows | Send-File)
            $r | Should -HaveCount 2
            $r.Verified | Should -Be @($true, $true)
            Test-Path -LiteralPath (Join-Path $a.Folder 'a.log') | Should -BeTrue
            Test-Path -LiteralPath (Join-Path $b.Folder 'b.log') | Should -BeTrue
            Test-Path -LiteralPath (Join-Path $a.Folder 'b.log') | Should -BeFalse
        }
        finally { $a.Listener, $b.Listener | Stop-SocketListener }
    }

    It 'names files by one rule: each item arrives under its own name (piped children of a folder, or the folder itself)' {
        $rx = New-Receiver
        try {
            $null = Get-ChildItem -LiteralPath $script:src.FullName | Send-File 127.0.0.1 $rx.Port
            Test-Path -LiteralPath (Join-Path $rx.Folder 'a.log') | Should -BeTrue
            $null = Send-File 127.0.0.1 $rx.Port -LiteralPath $script:src.FullName
            Test-Path -LiteralPath (Join-Path $rx.Folder (Join-Path $script:src.Name 'a.log')) | Should -BeTrue
        }
        finally { $rx.Listener | Stop-SocketListener }
    }

    It 'gives each result a digest as Get-FileHash reads it (Algorithm, Hash): -Hash Sha256 matches Get-FileHash' {
        $rx = New-Receiver
        try {
            $file = Join-Path $script:src.FullName 'a.log'
            $r = Send-File 127.0.0.1 $rx.Port -LiteralPath $file -Hash Sha256
            $r.Algorithm | Should -Be 'SHA256'
            "$($r.Algorithm)" | Should -BeExactly 'SHA256'
            $r.Hash | Should -BeExactly (Get-FileHash -LiteralPath $file -Algorithm SHA256).Hash
        }
        finally { $rx.Listener | Stop-SocketListener }
    }

    It 'verifies by XXH3-128 unless asked: Algorithm XXH128, Hash in uppercase hex as xxhsum -H2 computes it' {
        $rx = New-Receiver
        try {
            $file = Join-Path $script:src.FullName 'a.log'
            $r = Send-File 127.0.0.1 $rx.Port -LiteralPath $file
            "$($r.Algorithm)" | Should -BeExactly 'XXH128'
            $r.Hash | Should -MatchExactly '^[0-9A-F]{32}$'
            $r.Sha256 | Should -BeNullOrEmpty
            if (Get-Command xxhsum -ErrorAction Ignore) {
                $r.Hash | Should -Be ((& xxhsum -H2 $file) -split ' ')[0].ToUpperInvariant()
            }
        }
        finally { $rx.Listener | Stop-SocketListener }
    }

    It 'refuses a -Hash it does not know before anything is sent' {
        { Send-File 127.0.0.1 9 -LiteralPath (Join-Path $script:src.FullName 'a.log') -Hash MD5 -ErrorAction Stop } | Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,Nsock.PowerShell.SendFileCommand'
    }

    It 'sends to the nsock command''s receiver, and results survive Export-Clixml and fit 80 columns' {
        $dir = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'nsock-rx')
        $peer = Start-ProcessPeer $script:NsockBin @('listen', '127.0.0.1:0', '--receive-files', $dir.FullName, '--json', '-k')
        try {
            $r = Send-File 127.0.0.1 $peer.Port -LiteralPath (Join-Path $script:src.FullName 'a.log')
            $r.Verified | Should -BeTrue
            Get-Content -LiteralPath (Join-Path $dir.FullName 'a.log') -Raw | Should -Be (Get-Content -LiteralPath (Join-Path $script:src.FullName 'a.log') -Raw)
            $xml = Join-Path $TestDrive 'file.clixml'
            $r | Export-Clixml -LiteralPath $xml
            $back = Import-Clixml -LiteralPath $xml
            $back.Verified | Should -BeTrue
            $back.Hash | Should -Be $r.Hash
            $r.Status | Should -Be ([Nsock.Core.FileStatus]::Sent)
            $back.Status.ToString() | Should -BeExactly 'Sent' # by name, not a bare number (nsock.types.ps1xml)
            $text = $r | Format-Table | Out-String -Width 80
            Test-LinesFit $text 80 | Should -BeTrue
            $text | Should -MatchExactly '\bsent\b' # the view prints nsock's word
            ($back | Format-Table | Out-String -Width 80) | Should -MatchExactly '\bsent\b'
        }
        finally { $peer | Stop-ProcessPeer }
    }
}
