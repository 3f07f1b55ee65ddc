# Receive-SocketData: named, positional, endpoint; until close, -MaxBytes, -Until; -Stream; -OutFile; errors.

BeforeDiscovery {
    $script:IsWindowsHost = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

AfterAll {
    Get-SocketListener | Stop-SocketListener
}

Describe 'Receive-SocketData' {
    # A test that failed before its own finally leaves no runspace running into the next one.
    AfterEach { Stop-TestRunspaces }
    It 'reads until the peer closes, with named parameters' {
        $peer = Start-Peer -InputObject "line 1`nline 2`n"
        try {
            $r = Receive-SocketData -ComputerName 127.0.0.1 -Port $peer.Port
            $r | Should -BeOfType ([Nsock.PowerShell.SocketReceiveResult])
            $r.Text | Should -Be "line 1`nline 2`n"
            $r.Bytes | Should -Be 14
            "$($r.End)" | Should -Be 'PeerClosed'
            $r.Remote | Should -Be "127.0.0.1:$($peer.Port)"
        }
        finally { $peer | Stop-SocketListener }
    }

    It 'takes host and port by position, or an endpoint' {
        $a = Start-Peer -InputObject 'positional'
        $b = Start-Peer -InputObject 'endpoint'
        try {
            (Receive-SocketData 127.0.0.1 $a.Port).Text | Should -Be 'positional'
            (Receive-SocketData -Endpoint "127.0.0.1:$($b.Port)").Text | Should -Be 'endpoint'
        }
        finally { $a, $b | Stop-SocketListener }
    }

    It 'stops after -MaxBytes' {
        $peer = Start-Peer -InputObject 'abcdefgh'
        try {
            $r = Receive-SocketData 127.0.0.1 $peer.Port -MaxBytes 3
            $r.Text | Should -Be 'abc'
            "$($r.End)" | Should -Be 'ByteLimit'
        }
        finally { $peer | Stop-SocketListener }
    }

    It 'stops right after the -Until delimiter, or -UntilBytes' {
        $a = Start-Peer -InputObject "220 ready`r`nmore"
        $b = Start-Peer -InputObject "x;y"
        try {
            $r = Receive-SocketData 127.0.0.1 $a.Port -Until "`r`n"
            $r.Text | Should -Be "220 ready`r`n"
            "$($r.End)" | Should -Be 'Delimiter'
            (Receive-SocketData 127.0.0.1 $b.Port -UntilBytes ([byte[]](59))).Text | Should -Be 'x;'
        }
        finally { $a, $b | Stop-SocketListener }
    }

    It 'decodes with -Encoding' {
        $peer = Start-Peer -InputObject ([byte[]](0xE9))
        try {
            (Receive-SocketData 127.0.0.1 $peer.Port -Encoding latin1).Text | Should -Be ([string][char]0xE9)
        }
        finally { $peer | Stop-SocketListener }
    }

    It 'writes the data as SocketData objects as it arrives with -Stream' {
        $peer = Start-Peer -InputObject 'streamed data'
        try {
            $pieces = @(Receive-SocketData 127.0.0.1 $peer.Port -Stream)
            $pieces.Count | Should -BeGreaterThan 0
            $pieces[0] | Should -BeOfType ([Nsock.PowerShell.SocketData])
            ($pieces | ForEach-Object Text) -join '' | Should -Be 'streamed data'
            $pieces[0].Offset | Should -Be 0
        }
        finally { $peer | Stop-SocketListener }
    }

    It 'writes to -OutFile only when complete, and not at all with -WhatIf' {
        $peer = Start-Peer -InputObject 'file content'
        $out = Join-Path $TestDrive 'received.txt'
        try {
            Receive-SocketData 127.0.0.1 $peer.Port -OutFile (Join-Path $TestDrive 'whatif.txt') -WhatIf | Should -BeNullOrEmpty
            Test-Path -LiteralPath (Join-Path $TestDrive 'whatif.txt') | Should -BeFalse
            $r = Receive-SocketData 127.0.0.1 $peer.Port -OutFile $out
            $r.Path | Should -Be $out
            $r.Data | Should -BeNullOrEmpty
            Get-Content -LiteralPath $out -Raw | Should -Be 'file content'
        }
        finally { $peer | Stop-SocketListener }
    }

    It 'reads from a Unix socket' -Skip:$script:IsWindowsHost {
        $path = New-UnixSocketPath
        $l = 'over unix' | New-SocketListener -Endpoint "unix:$path" -Background
        try {
            (Receive-SocketData -Endpoint "unix:$path").Text | Should -Be 'over unix'
        }
        finally { $l | Stop-SocketListener }
    }
}

Describe 'Receive-SocketData errors' {
    # A test that failed before its own finally leaves no runspace running into the next one.
    AfterEach { Stop-TestRunspaces }
    It 'times out on a silent peer with OperationTimeout, after writing what arrived' {
        $peer = Start-SilentPeer
        try {
            $err = $null
            $r = Receive-SocketData 127.0.0.1 $peer.LocalEndpoint.Port -Timeout 0.5 -ErrorAction SilentlyContinue -ErrorVariable err
            "$($r.End)" | Should -Be 'IdleTimeout'
            "$($err[0].CategoryInfo.Category)" | Should -Be 'OperationTimeout'
            $err[0].FullyQualifiedErrorId | Should -BeLike 'TimedOut,*'
        }
        finally { $peer.Stop() }
    }

    It 'reports a peer that closes before -MaxBytes, and keeps the partial file' {
        $peer = Start-Peer -InputObject 'short'
        $out = Join-Path $TestDrive 'partial.txt'
        try {
            $err = $null
            $r = Receive-SocketData 127.0.0.1 $peer.Port -MaxBytes 100 -OutFile $out -ErrorAction SilentlyContinue -ErrorVariable err
            "$($err[0].CategoryInfo.Category)" | Should -Be 'ConnectionError'
            $r.Path | Should -Be "$out.partial"
            Test-Path -LiteralPath $out | Should -BeFalse
            Get-Content -LiteralPath "$out.partial" -Raw | Should -Be 'short'
        }
        finally { $peer | Stop-SocketListener }
    }

    It 'refuses UDP and bad input before opening anything' {
        { Receive-SocketData -Endpoint 'udp://127.0.0.1:9' } | Should -Throw -ErrorId 'BadInput,*'
        { Receive-SocketData 127.0.0.1 9 -Until 'a' -UntilBytes ([byte[]](1)) } | Should -Throw -ErrorId 'BadInput,*'
        { Receive-SocketData 127.0.0.1 9 -Stream -OutFile (Join-Path $TestDrive 'x') } | Should -Throw -ErrorId 'BadInput,*'
        { Receive-SocketData 127.0.0.1 9 -MaxBytes -1 } | Should -Throw -ErrorId 'BadInput,*'
    }

    It 'reports a refused connection as a ConnectionError' {
        { Receive-SocketData 127.0.0.1 (Get-ClosedTcpPort) -ErrorAction Stop } | Should -Throw -ErrorId 'ConnectionRefused,*'
    }

    It 'stops promptly on Ctrl+C and keeps what arrived as a partial file' {
        $peer = Start-SilentPeer
        $out = Join-Path $TestDrive 'interrupted.txt'
        try {
            $run = Start-InRunspace { param($Port, $Out) Receive-SocketData 127.0.0.1 $Port -Timeout 0 -OutFile $Out } -Arguments @{ Port = $peer.LocalEndpoint.Port; Out = $out }
            Start-Sleep -Milliseconds 300
            $run.Handle.IsCompleted | Should -BeFalse
            Stop-InRunspace $run | Should -BeLessThan 5
            Test-Path -LiteralPath $out | Should -BeFalse
        }
        finally { $peer.Stop() }
    }
}

Describe 'Receive-SocketData as scripts use it' {
    AfterEach { Stop-TestRunspaces }

    It 'reads from each Import-Csv row''s peer (python3 senders)' {
        $one = Start-PythonSender -Text 'first peer'
        $two = Start-PythonSender -Text 'second peer'
        try {
            $csv = Join-Path $TestDrive 'peers.csv'
            @([pscustomobject]@{ ComputerName = '127.0.0.1'; Port = $one.Port }, [pscustomobject]@{ ComputerName = '127.0.0.1'; Port = $two.Port }) |
                Export-Csv -LiteralPath $csv -NoTypeInformation
            $r = @(Import-Csv -LiteralPath $csv | Receive-SocketData)
            $r.Text | Should -Be @('first peer', 'second peer')
        }
        finally { $one, $two | Stop-ProcessPeer }
    }

    It 'takes -Endpoint, and reads from the nsock command' {
        $sender = Start-PythonSender -Text 'by endpoint'
        $dir = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'serve')
        Set-Content -LiteralPath (Join-Path $dir.FullName 'f.txt') -Value 'served by nsock' -NoNewline
        $cmd = Start-ProcessPeer $script:NsockBin @('listen', '127.0.0.1:0', '--serve', $dir.FullName, '--json', '-k')
        try {
            (Receive-SocketData -Endpoint "tcp://127.0.0.1:$($sender.Port)").Text | Should -Be 'by endpoint'
            # --serve answers a name and a newline with the file's bytes: ask with Send-SocketData -Reply.
            (Send-SocketData 127.0.0.1 $cmd.Port "f.txt`n" -Reply).ReplyText | Should -Be 'served by nsock'
        }
        finally { $sender, $cmd | Stop-ProcessPeer }
    }

    It 'gives results that survive Export-Clixml and a view that fits 80 columns' {
        $sender = Start-PythonSender -Text ('z' * 300)
        try {
            $r = Receive-SocketData 127.0.0.1 $sender.Port
            $xml = Join-Path $TestDrive 'recv.clixml'
            $r | Export-Clixml -LiteralPath $xml
            (Import-Clixml -LiteralPath $xml).Bytes | Should -Be 300
            $text = $r | Format-Table | Out-String -Width 80
            Test-LinesFit $text 80 | Should -BeTrue
        }
        finally { $sender | Stop-ProcessPeer }
    }

    It 'ends with -ErrorAction Stop when the peer stays silent past -Timeout, as OperationTimeout' {
        $peer = Start-SilentPeer
        try {
            $caught = $null
            try { Receive-SocketData 127.0.0.1 $peer.LocalEndpoint.Port -Timeout 0.3 -ErrorAction Stop } catch { $caught = $_ }
            "$($caught.CategoryInfo.Category)" | Should -Be 'OperationTimeout'
        }
        finally { $peer.Stop() }
    }
}
