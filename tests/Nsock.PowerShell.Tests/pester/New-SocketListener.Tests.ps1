# New-SocketListener: background and foreground forms, every mode, errors, Ctrl+C. Loopback only, port 0.

BeforeDiscovery {
    $script:IsWindowsHost = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

AfterAll {
    Get-SocketListener | Stop-SocketListener
}

Describe 'New-SocketListener -Background' {
    # A test that failed before its own finally leaves no runspace running into the next one.
    AfterEach { Stop-TestRunspaces }
    It 'returns a listener with the real port when asked for port 0 (named parameters)' {
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -Background
        try {
            $l | Should -BeOfType ([Nsock.PowerShell.SocketListener])
            $l.Port | Should -BeGreaterThan 0
            $l.Endpoint | Should -Be "tcp://127.0.0.1:$($l.Port)"
            $l.Transport | Should -Be 'tcp'
            "$($l.Mode)" | Should -Be 'Echo'
            "$($l.State)" | Should -Be 'Running'
        }
        finally { $l | Stop-SocketListener }
    }

    It 'takes the port by position, and the command''s endpoint syntax with -Endpoint' {
        $a = New-SocketListener 0 -LocalAddress 127.0.0.1 -Echo -Background
        $b = New-SocketListener -Endpoint '127.0.0.1:0' -Echo -Background
        try {
            $a.Port | Should -BeGreaterThan 0
            $b.Endpoint | Should -BeLike 'tcp://127.0.0.1:*'
            $b.Port | Should -Not -Be $a.Port
        }
        finally { $a, $b | Stop-SocketListener }
    }

    It 'echoes while the script goes on, and counts clients and bytes' {
        $l = Start-Echo
        try {
            (Send-SocketData 127.0.0.1 $l.Port 'hello' -Reply).ReplyText | Should -Be 'hello'
            (Send-SocketData 127.0.0.1 $l.Port 'again' -Reply).ReplyText | Should -Be 'again'
            Wait-Until { $l.BytesReceived -eq 10 } | Should -BeTrue
            $l.Clients | Should -Be 2
            @($l.GetEvents() | Where-Object Event -eq 'closed').Count | Should -Be 2
        }
        finally { $l | Stop-SocketListener }
    }

    It 'captures what its one client sends (relay mode) and completes by itself' {
        $l = Start-Peer
        try {
            $null = Send-SocketData 127.0.0.1 $l.Port 'captured text'
            $l.WaitForEnd([TimeSpan]::FromSeconds(10)) | Should -BeTrue
            "$($l.State)" | Should -Be 'Completed'
            $l.ReceivedText | Should -Be 'captured text'
            $l.BytesReceived | Should -Be 13
        }
        finally { $l | Stop-SocketListener }
    }

    It 'sends pipeline input to the client and half-closes, as nc -l < file does' {
        $l = 'line 1', 'line 2' | New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Background
        try {
            (Receive-SocketData 127.0.0.1 $l.Port).Text | Should -Be 'line 1line 2'
        }
        finally { $l | Stop-SocketListener }
    }

    It 'answers UDP datagrams with -Udp -Echo and counts them' {
        $l = Start-Echo -Udp
        try {
            $l.Transport | Should -Be 'udp'
            (Send-SocketData 127.0.0.1 $l.Port 'ping' -Udp -Reply).ReplyText | Should -Be 'ping'
            Wait-Until { $l.Datagrams -ge 1 } | Should -BeTrue
        }
        finally { $l | Stop-SocketListener }
    }

    It 'listens on a Unix socket and removes the socket file when stopped' -Skip:$script:IsWindowsHost {
        $path = New-UnixSocketPath
        $l = New-SocketListener -Endpoint "unix:$path" -Echo -Background
        try {
            $l.Transport | Should -Be 'unix'
            (Send-SocketData -Endpoint "unix:$path" -InputObject 'over unix' -Reply).ReplyText | Should -Be 'over unix'
        }
        finally { $l | Stop-SocketListener }
        Test-Path -LiteralPath $path | Should -BeFalse
    }

    It 'refuses peers outside -Allow and counts them' {
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -Allow 198.51.100.0/24 -Background
        try {
            $null = Send-SocketData 127.0.0.1 $l.Port 'x' -Reply -ErrorAction SilentlyContinue
            Wait-Until { $l.Rejected -eq 1 } | Should -BeTrue
            $l.Clients | Should -Be 0
        }
        finally { $l | Stop-SocketListener }
    }

    It 'refuses peers in -Deny' {
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -Deny 127.0.0.1 -Background
        try {
            $null = Send-SocketData 127.0.0.1 $l.Port 'x' -Reply -ErrorAction SilentlyContinue
            Wait-Until { $l.Rejected -eq 1 } | Should -BeTrue
        }
        finally { $l | Stop-SocketListener }
    }

    It 'receives files into a folder with -ReceiveFiles' {
        $in = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'in-receive')
        $file = Join-Path $TestDrive 'report.txt'
        Set-Content -LiteralPath $file -Value 'the report' -NoNewline
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -ReceiveFiles $in.FullName -KeepOpen -Background
        try {
            $r = Send-File 127.0.0.1 $l.Port -Path $file
            $r.Verified | Should -BeTrue
            Get-Content -LiteralPath (Join-Path $in.FullName 'report.txt') -Raw | Should -Be 'the report'
            Wait-Until { $l.Files -eq 1 } | Should -BeTrue
        }
        finally { $l | Stop-SocketListener }
    }

    It 'serves the files of a folder with -ServeFiles' {
        $dir = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'served')
        Set-Content -LiteralPath (Join-Path $dir.FullName 'a.txt') -Value 'file a' -NoNewline
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -ServeFiles $dir.FullName -Background
        try {
            (Send-SocketData 127.0.0.1 $l.Port 'a.txt' -Newline -Reply).ReplyText | Should -Be 'file a'
        }
        finally { $l | Stop-SocketListener }
    }

    It 'ends by itself after -Count clients' {
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -Count 1 -Background
        try {
            $null = Send-SocketData 127.0.0.1 $l.Port 'x' -Reply
            $l.WaitForEnd([TimeSpan]::FromSeconds(10)) | Should -BeTrue
            "$($l.State)" | Should -Be 'Completed'
        }
        finally { $l | Stop-SocketListener }
    }

    It 'stops after -Timeout seconds' {
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -Timeout 0.5 -Background
        try {
            $l.WaitForEnd([TimeSpan]::FromSeconds(10)) | Should -BeTrue
            "$($l.State)" | Should -Be 'Stopped'
        }
        finally { $l | Stop-SocketListener }
    }

    It 'does nothing with -WhatIf' {
        $before = @(Get-SocketListener).Count
        New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -Background -WhatIf | Should -BeNullOrEmpty
        @(Get-SocketListener).Count | Should -Be $before
    }
}

Describe 'New-SocketListener errors' {
    # A test that failed before its own finally leaves no runspace running into the next one.
    AfterEach { Stop-TestRunspaces }
    It 'reports a port in use as a ConnectionError naming the endpoint' {
        $l = Start-Echo
        try {
            $err = $null
            $null = New-SocketListener -Port $l.Port -LocalAddress 127.0.0.1 -Echo -Background -ErrorAction SilentlyContinue -ErrorVariable err
            $err | Should -HaveCount 1
            "$($err[0].CategoryInfo.Category)" | Should -Be 'ConnectionError'
            $err[0].FullyQualifiedErrorId | Should -BeLike 'IoError,*'
            $err[0].TargetObject | Should -Be "tcp://127.0.0.1:$($l.Port)"
        }
        finally { $l | Stop-SocketListener }
    }

    It 'rejects bad input before opening anything' {
        { New-SocketListener -Endpoint 'bogus://x:1' } | Should -Throw -ErrorId 'BadInput,*'
        { New-SocketListener -Port 0 -Echo -ReceiveFiles $TestDrive } | Should -Throw -ErrorId 'BadInput,*'
        { New-SocketListener -Port 0 -Overwrite } | Should -Throw -ErrorId 'BadInput,*'
        { New-SocketListener -Port 0 -Allow '10/8' } | Should -Throw -ErrorId 'BadInput,*'
        { New-SocketListener -Port 70000 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        { New-SocketListener -Port 0 -IPv4 -IPv6 } | Should -Throw -ErrorId 'BadInput,*'
    }
}

Describe 'New-SocketListener in the foreground' {
    # A test that failed before its own finally leaves no runspace running into the next one.
    AfterEach { Stop-TestRunspaces }
    It 'writes ready, connected, data, closed and stopped events for its one client' {
        $run = Start-InRunspace { New-SocketListener -Port 0 -LocalAddress 127.0.0.1 }
        try {
            Wait-Until { $run.Output.Count -ge 1 } | Should -BeTrue
            $ready = $run.Output[0]
            $ready.Event | Should -Be 'ready'
            $ready | Should -BeOfType ([Nsock.PowerShell.SocketListenerEvent])
            $null = Send-SocketData 127.0.0.1 $ready.Port 'hi there'
            $events = Wait-InRunspace $run
            $names = @($events | ForEach-Object Event)
            $names[0] | Should -Be 'ready'
            $names[1] | Should -Be 'connected'
            $names[-2] | Should -Be 'closed'
            $names[-1] | Should -Be 'stopped'
            (@($events | Where-Object Event -eq 'data' | ForEach-Object Text) -join '') | Should -Be 'hi there'
        }
        finally { $null = Stop-InRunspace $run }
    }

    It 'stops after -Timeout with a stopped event last' {
        $events = @(New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -Timeout 0.5)
        $events[0].Event | Should -Be 'ready'
        $events[-1].Event | Should -Be 'stopped'
        $events[-1].Detail | Should -BeLike '*-Timeout*'
    }

    It 'stops after -Count clients' {
        $run = Start-InRunspace { New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -Count 2 }
        try {
            Wait-Until { $run.Output.Count -ge 1 } | Should -BeTrue
            $port = $run.Output[0].Port
            $null = Send-SocketData 127.0.0.1 $port 'one' -Reply
            $null = Send-SocketData 127.0.0.1 $port 'two' -Reply
            $events = Wait-InRunspace $run
            @($events | Where-Object Event -eq 'connected').Count | Should -Be 2
            $events[-1].Detail | Should -BeLike '*-Count 2*'
        }
        finally { $null = Stop-InRunspace $run }
    }

    It 'writes each UDP datagram as a datagram event and its bytes as data' {
        $run = Start-InRunspace { New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Udp -Count 1 }
        try {
            Wait-Until { $run.Output.Count -ge 1 } | Should -BeTrue
            $null = Send-SocketData 127.0.0.1 $run.Output[0].Port 'dgram' -Udp
            $events = Wait-InRunspace $run
            ($events | Where-Object Event -eq 'datagram').Bytes | Should -Be 5
            ($events | Where-Object Event -eq 'data').Text | Should -Be 'dgram'
        }
        finally { $null = Stop-InRunspace $run }
    }

    It 'stops promptly on Ctrl+C and closes its socket' {
        $run = Start-InRunspace { New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo }
        Wait-Until { $run.Output.Count -ge 1 } | Should -BeTrue
        $port = $run.Output[0].Port
        (Send-SocketData 127.0.0.1 $port 'x' -Reply).ReplyText | Should -Be 'x'
        Stop-InRunspace $run | Should -BeLessThan 5
        { Send-SocketData 127.0.0.1 $port 'x' -Timeout 2 -ErrorAction Stop } | Should -Throw -ErrorId 'ConnectionRefused,*'
    }
}
