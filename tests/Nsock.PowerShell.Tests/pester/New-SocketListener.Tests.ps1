# New-SocketListener: background and foreground forms, every mode, errors, Ctrl+C. Loopback only, port 0.

BeforeDiscovery {
    $script:IsWindowsHost = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')

    function Test-PortClosed {
        # True once nothing accepts on the loopback port (bounded).
        param([Parameter(Mandatory)] [int] $Port)
        Wait-Until {
            $c = [System.Net.Sockets.TcpClient]::new()
            try { $c.Connect('127.0.0.1', $Port); $false } catch { $true } finally { $c.Dispose() }
        }
    }

    # A python3 client: connects, sends its argument, half-closes, prints what came back.
    $script:PythonClient = @'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(sys.argv[2].encode()); s.shutdown(socket.SHUT_WR)
got = b""
while True:
    b = s.recv(65536)
    if not b:
        break
    got += b
sys.stdout.write(got.decode())
'@
    function Invoke-PythonClient {
        param([int] $Port, [string] $Text)
        $out = & python3 -c $script:PythonClient $Port $Text
        if ($LASTEXITCODE -ne 0) { throw "the python3 client failed ($LASTEXITCODE)" }
        $out -join "`n"
    }
}

AfterAll {
    Get-SocketListener | Remove-Job -Force
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
            # The sender's session reports its end like other modes' clients: the listener counts its bytes.
            Wait-Until { $l.BytesReceived -gt 10 -and $l.BytesSent -gt 0 } | Should -BeTrue
        }
        finally { $l | Stop-SocketListener }
    }

    It 'serves the files of a folder with -ServeFiles' {
        $dir = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'served')
        Set-Content -LiteralPath (Join-Path $dir.FullName 'a.txt') -Value 'file a' -NoNewline
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -ServeFiles $dir.FullName -Background
        try {
            (Send-SocketData 127.0.0.1 $l.Port 'a.txt' -Newline -Reply).ReplyText | Should -Be 'file a'
            Wait-Until { $l.BytesSent -eq 6 } | Should -BeTrue
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

Describe 'New-SocketListener -Background is a PowerShell job' {
    AfterEach { Stop-TestRunspaces }
    It 'is listed by Get-Job; Wait-Job returns at -Count; Receive-Job gives its events, the stopped one last' {
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -Count 2 -Background -Name 'pester-job'
        try {
            $l | Should -BeOfType ([System.Management.Automation.Job])
            $job = Get-Job -Id $l.Id
            $job.Name | Should -Be 'pester-job'
            $job.PSJobTypeName | Should -Be 'SocketListener'
            "$($job.State)" | Should -Be 'Running'
            $job.Location | Should -Be $l.Endpoint
            (Send-SocketData 127.0.0.1 $l.Port 'one' -Reply).ReplyText | Should -Be 'one'
            (Send-SocketData 127.0.0.1 $l.Port 'two' -Reply).ReplyText | Should -Be 'two'
            Wait-Job $l -Timeout 10 | Should -Not -BeNullOrEmpty
            "$($l.State)" | Should -Be 'Completed'
            $l.HasMoreData | Should -BeTrue
            $events = @(Receive-Job $l)
            $events[0] | Should -BeOfType ([Nsock.PowerShell.SocketListenerEvent])
            $events[0].Event | Should -Be 'ready'
            @($events | Where-Object Event -eq 'connected').Count | Should -Be 2
            @($events | Where-Object Event -eq 'closed').Count | Should -Be 2
            $events[-1].Event | Should -Be 'stopped'
            $events[-1].Detail | Should -BeLike '-Count 2 reached*'
            $events[-1].Bytes | Should -Be 6
            $l.HasMoreData | Should -BeFalse
            Test-PortClosed $l.Port | Should -BeTrue
        }
        finally { $l | Remove-Job -Force }
    }

    It 'names itself ListenerN without -Name, and keeps the -AsJob alias because it is a job' {
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -AsJob
        try {
            $l.Name | Should -Be "Listener$($l.Id)"
            (Get-Job -Name $l.Name).Id | Should -Be $l.Id
        }
        finally { $l | Remove-Job -Force }
    }

    It 'is stopped by Stop-Job (its port closes) and forgotten by Remove-Job' {
        $l = Start-Echo
        Stop-Job $l
        "$($l.State)" | Should -Be 'Stopped'
        Test-PortClosed $l.Port | Should -BeTrue
        (Receive-Job $l)[-1].Detail | Should -Be 'stopped'
        Get-SocketListener | Where-Object Id -eq $l.Id | Should -Not -BeNullOrEmpty
        Remove-Job $l
        Get-SocketListener | Where-Object Id -eq $l.Id | Should -BeNullOrEmpty
        Get-Job | Where-Object Id -eq $l.Id | Should -BeNullOrEmpty
    }

    It 'Remove-Job -Force stops a running listener' {
        $l = Start-Echo
        $l | Remove-Job -Force
        Test-PortClosed $l.Port | Should -BeTrue
        Get-SocketListener | Where-Object Id -eq $l.Id | Should -BeNullOrEmpty
    }

    It 'Wait-Job returns when the one relay client leaves; what it sent comes back as data events' {
        $l = Start-Peer
        try {
            $null = Send-SocketData 127.0.0.1 $l.Port "two`nlines"
            Wait-Job $l -Timeout 10 | Should -Not -BeNullOrEmpty
            "$($l.State)" | Should -Be 'Completed'
            $events = @(Receive-Job $l)
            (@($events | Where-Object Event -eq 'data' | ForEach-Object Text) -join '') | Should -Be "two`nlines"
            $l.ReceivedText | Should -Be "two`nlines"
        }
        finally { $l | Remove-Job -Force }
    }

    It 'Receive-Job -Wait -AutoRemoveJob streams its events and returns as soon as it ends' {
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -Count 1 -Background
        $client = Start-InRunspace { param($Port) Start-Sleep -Milliseconds 200; (Send-SocketData 127.0.0.1 $Port 'later' -Reply).ReplyText } -Arguments @{ Port = $l.Port }
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $events = @(Receive-Job $l -Wait -AutoRemoveJob)
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 3
        ($events | ForEach-Object Event) -join ',' | Should -Be 'ready,connected,closed,stopped'
        @(Wait-InRunspace $client)[0] | Should -Be 'later'
        Get-Job | Where-Object Id -eq $l.Id | Should -BeNullOrEmpty
        Get-SocketListener | Where-Object Id -eq $l.Id | Should -BeNullOrEmpty
    }

    It 'Wait-Job returns at -Timeout with the state Stopped' {
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -Timeout 0.3 -Background
        try {
            Wait-Job $l -Timeout 10 | Should -Not -BeNullOrEmpty
            "$($l.State)" | Should -Be 'Stopped'
            $l.Reason | Should -Be '-Timeout passed'
        }
        finally { $l | Remove-Job -Force }
    }

    It 'fails (State Failed, the error in Receive-Job) when its relay client goes silent past -IdleTimeout' {
        $l = 'hello' | New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -IdleTimeout 0.3 -Background
        $client = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $l.Port)
        try {
            Wait-Job $l -Timeout 10 | Should -Not -BeNullOrEmpty
            "$($l.State)" | Should -Be 'Failed'
            $err = $null
            $events = @(Receive-Job $l -ErrorVariable err -ErrorAction SilentlyContinue)
            $events[-1].Event | Should -Be 'stopped'
            $err | Should -HaveCount 1
            "$($err[0].CategoryInfo.Category)" | Should -Be 'OperationTimeout'
            { Receive-Job $l -ErrorAction Stop } | Should -Not -Throw
        }
        finally { $client.Dispose(); $l | Remove-Job -Force }
    }

    It 'keeps its endpoint and counters through Export-Clixml and Import-Clixml, and so do its events' {
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -Count 1 -Background
        try {
            $null = Send-SocketData 127.0.0.1 $l.Port 'abc' -Reply
            $null = Wait-Job $l -Timeout 10
            $file = Join-Path $TestDrive 'listener.xml'
            $l | Export-Clixml -LiteralPath $file
            $back = Import-Clixml -LiteralPath $file
            $back.PSTypeNames[0] | Should -Be 'Deserialized.Nsock.PowerShell.SocketListener'
            ($back.Id, $back.Port, $back.Endpoint, "$($back.Mode)", $back.State, $back.Clients, $back.BytesReceived) |
                Should -Be ($l.Id, $l.Port, $l.Endpoint, 'Echo', 'Completed', 1, 3)
            Receive-Job $l | Export-Clixml -LiteralPath $file
            $events = Import-Clixml -LiteralPath $file
            $closed = $events | Where-Object Event -eq 'closed'
            ($closed.Client, $closed.Bytes, $closed.BytesSent) | Should -Be (1, 3, 3)
            $closed.Remote | Should -BeLike '127.0.0.1:*'
            $events[-1].Event | Should -Be 'stopped'
        }
        finally { $l | Remove-Job -Force }
    }
}

Describe 'New-SocketListener with independent peers' {
    AfterEach { Stop-TestRunspaces }
    It 'echoes to a python3 client and to the nsock command' {
        $l = Start-Echo
        try {
            Invoke-PythonClient $l.Port 'from python' | Should -Be 'from python'
            if (-not (Test-Path -LiteralPath $script:NsockBin)) { throw "no nsock binary at $script:NsockBin: run 'bash scripts/build --no-demo'" }
            $out = & $script:NsockBin send "127.0.0.1:$($l.Port)" 'from nsock' --reply
            $LASTEXITCODE | Should -Be 0
            ($out -join "`n") | Should -Be 'from nsock'
            Wait-Until { $l.Clients -eq 2 -and $l.BytesReceived -eq 21 } | Should -BeTrue
        }
        finally { $l | Stop-SocketListener }
    }

    It 'captures what a python3 client sends and sends it the pipeline input' {
        $l = 'to python' | New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Background
        try {
            Invoke-PythonClient $l.Port 'from python' | Should -Be 'to python'
            $l.WaitForEnd([TimeSpan]::FromSeconds(10)) | Should -BeTrue
            $l.ReceivedText | Should -Be 'from python'
        }
        finally { $l | Stop-SocketListener }
    }

    It 'writes the events of a python3 client in the foreground' {
        $run = Start-InRunspace { New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Count 1 }
        try {
            Wait-Until { $run.Output.Count -ge 1 } | Should -BeTrue
            $null = Invoke-PythonClient $run.Output[0].Port 'py data'
            $events = Wait-InRunspace $run
            (@($events | Where-Object Event -eq 'data' | ForEach-Object Text) -join '') | Should -Be 'py data'
            $events[-1].Event | Should -Be 'stopped'
        }
        finally { $null = Stop-InRunspace $run }
    }

    It 'takes files from the nsock command with -ReceiveFiles' {
        if (-not (Test-Path -LiteralPath $script:NsockBin)) { throw "no nsock binary at $script:NsockBin: run 'bash scripts/build --no-demo'" }
        $in = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'from-nsock')
        $file = Join-Path $TestDrive 'note.txt'
        Set-Content -LiteralPath $file -Value 'sent by nsock' -NoNewline
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -ReceiveFiles $in.FullName -KeepOpen -Background
        try {
            $null = & $script:NsockBin send-file "127.0.0.1:$($l.Port)" $file
            $LASTEXITCODE | Should -Be 0
            Get-Content -LiteralPath (Join-Path $in.FullName 'note.txt') -Raw | Should -Be 'sent by nsock'
            Wait-Until { $l.Files -eq 1 } | Should -BeTrue
            Receive-Job $l | Where-Object Event -eq 'file' | Should -Not -BeNullOrEmpty
        }
        finally { $l | Stop-SocketListener }
    }
}

Describe 'New-SocketListener views' {
    AfterEach { Stop-TestRunspaces }
    It 'shows events in 80 columns, with the peer and detail visible and peer text escaped' {
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Count 1 -Background
        try {
            $null = Send-SocketData 127.0.0.1 $l.Port "evil`e[2Jtext`n"
            $null = Wait-Job $l -Timeout 10
            $text = Receive-Job $l | Out-String -Width 80
            Test-LinesFit $text 80 | Should -BeTrue
            $text | Should -Match 'Time +Event +Client +Peer +Bytes +Detail'
            $text | Should -Match ([regex]::Escape("tcp://127.0.0.1:$($l.Port)"))
            $text | Should -Match 'connected +1 127\.0\.0\.1:\d+'
            $text | Should -Match ([regex]::Escape('evil\x1b[2Jtext\n'))
            $text | Should -Not -Match "`e"
        }
        finally { $l | Stop-SocketListener }
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
        { New-SocketListener -Port 0 -Name 'fg' } | Should -Throw -ErrorId 'BadInput,*'
        { New-SocketListener -Port 0 -MaxClients 0 -Background } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }

    It 'terminates with messages naming PowerShell parameters, and leaves no listener behind' {
        $before = @(Get-SocketListener).Count
        $bad = @(
            { New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Overwrite -Background -ErrorAction SilentlyContinue }
            { New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Name 'fg' -ErrorAction SilentlyContinue }
            { 'x' | New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -Background -ErrorAction SilentlyContinue }
            { New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Allow '10/8' -Background -ErrorAction SilentlyContinue }
            { New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -IdleTimeout -1 -Background -ErrorAction SilentlyContinue }
        )
        foreach ($call in $bad) {
            $e = $null
            try { & $call } catch { $e = $_ }
            $e | Should -Not -BeNullOrEmpty -Because "$call must terminate"
            $e.Exception.Message | Should -Not -Match '(^|\s)--[a-z]' -Because $e.Exception.Message
        }
        $e.Exception.Message | Should -Match '-IdleTimeout'
        @(Get-SocketListener).Count | Should -Be $before
    }

    It 'takes the listening address as -LocalAddress or -Address, never -ComputerName (the remote host everywhere else)' {
        $aliases = (Get-Command New-SocketListener).Parameters['LocalAddress'].Aliases
        $aliases | Should -Contain 'Address'
        $aliases | Should -Not -Contain 'ComputerName'
        { New-SocketListener -ComputerName 127.0.0.1 -Port 0 -Echo -Background } | Should -Throw -ErrorId 'NamedParameterNotFound,*'
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

Describe 'New-SocketListener -Chat and -Broker' {
    AfterEach { Stop-TestRunspaces }
    BeforeAll {
        function New-ChatClient {
            # A line client of the chat: a TCP connection with a reader and writer (UTF-8, LF), each read bounded.
            param([int] $Port)
            $tcp = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $Port)
            $tcp.ReceiveTimeout = $script:WaitSeconds * 1000
            $stream = $tcp.GetStream()
            $utf8 = [System.Text.UTF8Encoding]::new($false)
            $writer = [System.IO.StreamWriter]::new($stream, $utf8)
            $writer.NewLine = "`n"
            $writer.AutoFlush = $true
            [pscustomobject]@{ Tcp = $tcp; Reader = [System.IO.StreamReader]::new($stream, $utf8); Writer = $writer }
        }
    }

    It 'runs a chat with three clients in the background: names, /nick, relayed lines, joins and leaves, and its events' {
        $room = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Chat -Background
        $a = $b = $c = $null
        try {
            "$($room.Mode)" | Should -Be 'Chat'
            $a = New-ChatClient $room.Port
            $a.Reader.ReadLine() | Should -BeLike '* you are user1 *'
            $b = New-ChatClient $room.Port
            $b.Reader.ReadLine() | Should -Be '* you are user2 (/nick NAME to change it); here: user1'
            $a.Reader.ReadLine() | Should -Be '* user2 joined'
            $c = New-ChatClient $room.Port
            $c.Reader.ReadLine() | Should -BeLike '* you are user3 *here: user1, user2'
            $a.Reader.ReadLine() | Should -Be '* user3 joined'
            $b.Reader.ReadLine() | Should -Be '* user3 joined'

            $a.Writer.WriteLine('/nick ana')
            foreach ($x in $a, $b, $c) { $x.Reader.ReadLine() | Should -Be '* user1 is now ana' }
            $a.Writer.WriteLine("hej på er $([char]27)[2J")
            $b.Reader.ReadLine() | Should -Be '<ana> hej på er \x1b[2J'
            $c.Reader.ReadLine() | Should -Be '<ana> hej på er \x1b[2J'
            $c.Writer.WriteLine('/nick ANA')
            $c.Reader.ReadLine() | Should -Be '* the name ANA is taken'
            $b.Tcp.Dispose()
            $a.Reader.ReadLine() | Should -Be '* user2 left'
            $c.Reader.ReadLine() | Should -Be '* user2 left'

            Wait-Until { @($room.GetEvents() | Where-Object Event -eq 'leave').Count -eq 1 } | Should -BeTrue
            $events = $room.GetEvents()
            @($events | Where-Object Event -eq 'join').Count | Should -Be 3
            $said = $events | Where-Object Event -eq 'message'
            $said.Name | Should -Be 'ana'
            $said.Text | Should -Be "hej på er $([char]27)[2J"
            ($events | Where-Object Event -eq 'nick').Detail | Should -Be 'user1 is now ana'
        }
        finally {
            foreach ($x in $a, $b, $c) { if ($x) { $x.Tcp.Dispose() } }
            $room | Stop-SocketListener
        }
    }

    It 'writes the chat''s events in the foreground' {
        $run = Start-InRunspace { New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Chat -Count 1 }
        try {
            Wait-Until { $run.Output.Count -ge 1 } | Should -BeTrue
            $null = Send-SocketData 127.0.0.1 $run.Output[0].Port "/nick bo`nhi there`n"
            $events = Wait-InRunspace $run
            ($events | ForEach-Object Event) -join ',' | Should -Be 'ready,connected,join,nick,message,leave,closed,stopped'
            ($events | Where-Object Event -eq 'message').Text | Should -Be 'hi there'
        }
        finally { $null = Stop-InRunspace $run }
    }

    It 'relays between clients with -Broker and refuses -Broker with -Udp' {
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Broker -Background
        $a = $b = $null
        try {
            $a = New-ChatClient $l.Port
            $b = New-ChatClient $l.Port
            Wait-Until { $l.Clients -eq 2 } | Should -BeTrue
            $a.Writer.WriteLine('raw bytes')
            $b.Reader.ReadLine() | Should -Be 'raw bytes'
            Wait-Until { $l.ReceivedText -eq "raw bytes`n" } | Should -BeTrue
        }
        finally {
            foreach ($x in $a, $b) { if ($x) { $x.Tcp.Dispose() } }
            $l | Stop-SocketListener
        }
        { New-SocketListener -Port 0 -Broker -Udp -ErrorAction Stop } | Should -Throw '*-Broker needs a stream*'
    }
}

Describe 'New-SocketListener -ForwardTo' {
    AfterEach { Stop-TestRunspaces }

    It 'forwards each client to the target in the background and reports bytes each way' {
        $svc = Start-Echo
        $fwd = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -ForwardTo "127.0.0.1:$($svc.Port)" -Background
        try {
            "$($fwd.Mode)" | Should -Be 'Forward'
            (Send-SocketData 127.0.0.1 $fwd.Port 'through the forward' -Reply).ReplyText | Should -Be 'through the forward'
            (Send-SocketData 127.0.0.1 $fwd.Port 'again' -Reply).ReplyText | Should -Be 'again'
            Wait-Until { @($fwd.GetEvents() | Where-Object Event -eq 'closed').Count -eq 2 } | Should -BeTrue
            $forwarded = @($fwd.GetEvents() | Where-Object Event -eq 'forwarded')
            $forwarded.Count | Should -Be 2
            $forwarded[0].Detail | Should -Be "forwarded to 127.0.0.1:$($svc.Port)"
            $closed = @($fwd.GetEvents() | Where-Object Event -eq 'closed')
            $closed[0].Bytes + $closed[1].Bytes | Should -Be 24
            $closed[0].BytesSent + $closed[1].BytesSent | Should -Be 24
            $svc.Clients | Should -Be 2
        }
        finally { $fwd, $svc | Stop-SocketListener }
    }

    It 'reports a target that refuses in the closed event and keeps forwarding (foreground)' {
        $closedPort = Get-ClosedTcpPort
        $run = Start-InRunspace { param($Target) New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -ForwardTo $Target -Count 1 } -Arguments @{ Target = "127.0.0.1:$closedPort" }
        try {
            Wait-Until { $run.Output.Count -ge 1 } | Should -BeTrue
            $null = Send-SocketData 127.0.0.1 $run.Output[0].Port 'x' -Reply -ErrorAction SilentlyContinue
            $events = Wait-InRunspace $run
            ($events | Where-Object Event -eq 'closed').Detail | Should -BeLike "target *127.0.0.1:$closedPort*refused*"
        }
        finally { $null = Stop-InRunspace $run }
    }

    It 'forwards UDP datagrams to a UDP target with -Udp, a session per client address' {
        $svc = Start-Echo -Udp
        $fwd = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Udp -ForwardTo "127.0.0.1:$($svc.Port)" -Background
        try {
            (Send-SocketData 127.0.0.1 $fwd.Port 'datagram' -Udp -Reply).ReplyText | Should -Be 'datagram'
            Wait-Until { @($fwd.GetEvents() | Where-Object Event -eq 'forwarded').Count -eq 1 } | Should -BeTrue
        }
        finally { $fwd, $svc | Stop-SocketListener }
    }

    It 'forwards a TCP client to a udp:// target, a datagram per read, the answer written back' {
        $svc = Start-Echo -Udp
        $fwd = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -ForwardTo "udp://127.0.0.1:$($svc.Port)" -Background
        try {
            (Send-SocketData 127.0.0.1 $fwd.Port 'stream to datagram' -Reply).ReplyText | Should -Be 'stream to datagram'
            Wait-Until { @($fwd.GetEvents() | Where-Object Event -eq 'closed').Count -eq 1 } | Should -BeTrue
            $closed = @($fwd.GetEvents() | Where-Object Event -eq 'closed')[0]
            $closed.Bytes | Should -Be 18
            $closed.BytesSent | Should -Be 18
        }
        finally { $fwd, $svc | Stop-SocketListener }
    }

    It 'refuses pipeline input and a target of port 0, naming the parameters' {
        { 'x' | New-SocketListener -Port 0 -ForwardTo 127.0.0.1:9 -ErrorAction Stop } | Should -Throw '*-InputObject*-ForwardTo*'
        { New-SocketListener -Port 0 -ForwardTo udp://127.0.0.1:0 -ErrorAction Stop } | Should -Throw '*-ForwardTo*port 0*'
        { New-SocketListener -Port 0 -ForwardTo 127.0.0.1:9 -Echo -ErrorAction Stop } | Should -Throw '*exclude each other*'
    }
}

Describe 'New-SocketListener -Exec and -ShellExec' {
    AfterEach { Stop-TestRunspaces }

    BeforeAll {
        # A tutorial-style echo program: each line read back as 'echo: LINE' until its input ends.
        $script:EchoProgram = Join-Path $TestDrive 'echo.py'
        Set-Content -Path $script:EchoProgram -Value @(
            'import sys'
            'for line in sys.stdin:'
            '    sys.stdout.write("echo: " + line)'
            '    sys.stdout.flush()'
        )
        $script:ArgvProgram = Join-Path $TestDrive 'argv.py'
        Set-Content -Path $script:ArgvProgram -Value 'import sys; sys.stdout.write("|".join(sys.argv[1:]))'
    }

    It 'runs a Python echo program per client with -KeepOpen (background), each reply its own' {
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Exec 'python3', $script:EchoProgram -KeepOpen -Background
        try {
            "$($l.Mode)" | Should -Be 'Exec'
            (Send-SocketData 127.0.0.1 $l.Port "one`n" -Reply).ReplyText | Should -Be "echo: one`n"
            (Send-SocketData 127.0.0.1 $l.Port "two`nthree`n" -Reply).ReplyText | Should -Be "echo: two`necho: three`n"
            Wait-Until { @($l.GetEvents() | Where-Object Event -eq 'closed').Count -eq 2 } | Should -BeTrue
            $closed = @($l.GetEvents() | Where-Object Event -eq 'closed')
            $closed[0].Bytes + $closed[1].Bytes | Should -Be 14
            $closed[0].BytesSent + $closed[1].BytesSent | Should -Be 32
        }
        finally { $l | Stop-SocketListener }
    }

    It 'passes each argument as it is: spaces, quotes and a dollar sign reach the program untouched' {
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Exec 'python3', $script:ArgvProgram, 'two words', 'it''s "quoted"', '$HOME', '' -Background
        try {
            (Send-SocketData 127.0.0.1 $l.Port 'x' -Reply).ReplyText | Should -Be 'two words|it''s "quoted"|$HOME|'
        }
        finally { $l | Stop-SocketListener }
    }

    It 'runs a command line through the shell with -ShellExec' {
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -ShellExec 'tr a-z A-Z' -Background
        try {
            (Send-SocketData 127.0.0.1 $l.Port 'shout' -Reply).ReplyText | Should -Be 'SHOUT'
        }
        finally { $l | Stop-SocketListener }
    }

    It 'a program that exits early ends its client, its exit code in the closed event (foreground, one client)' {
        $run = Start-InRunspace { New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Exec 'python3', '-c', 'import sys; sys.stdout.write("bye"); sys.exit(3)' }
        try {
            Wait-Until { $run.Output.Count -ge 1 } | Should -BeTrue
            (Send-SocketData 127.0.0.1 $run.Output[0].Port 'ignored' -Reply).ReplyText | Should -Be 'bye'
            $events = Wait-InRunspace $run
            ($events | Where-Object Event -eq 'closed').Detail | Should -BeLike '*exited with 3*'
        }
        finally { $null = Stop-InRunspace $run }
    }

    It 'a client that disconnects early ends its program, which is reaped (no zombie in /proc)' -Skip:$script:IsWindowsHost {
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Exec 'python3', '-c', "import os, time`nprint(os.getpid(), flush=True)`nwhile True:`n  time.sleep(0.05)`n  print('tick', flush=True)" -KeepOpen -Background
        $tcp = $null
        try {
            $tcp = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $l.Port)
            $reader = [System.IO.StreamReader]::new($tcp.GetStream())
            $read = $reader.ReadLineAsync()
            $read.Wait([TimeSpan]::FromSeconds($script:WaitSeconds)) | Should -BeTrue
            $programPid = [int]$read.Result
            Test-Path "/proc/$programPid" | Should -BeTrue
            # It leaves without a word; the program, still writing, is ended within its second of grace.
            $tcp.Dispose(); $tcp = $null
            Wait-Until { @($l.GetEvents() | Where-Object Event -eq 'closed').Count -eq 1 } | Should -BeTrue
            # Gone, not a zombie: a zombie keeps its /proc entry (State: Z) until it is waited for.
            Wait-Until { -not (Test-Path "/proc/$programPid") } | Should -BeTrue
        }
        finally {
            if ($tcp) { $tcp.Dispose() }
            $l | Stop-SocketListener
        }
    }

    It 'checks -Deny before a program starts: a refused peer runs nothing' {
        $marker = Join-Path $TestDrive 'ran.txt'
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -ShellExec "echo ran > '$marker'" -KeepOpen -Deny 127.0.0.0/8 -Background
        try {
            $null = Send-SocketData 127.0.0.1 $l.Port 'x' -Reply -ErrorAction SilentlyContinue
            Wait-Until { @($l.GetEvents() | Where-Object Event -eq 'rejected').Count -eq 1 } | Should -BeTrue
            Test-Path $marker | Should -BeFalse
        }
        finally { $l | Stop-SocketListener }
    }

    It 'runs at most -MaxClients programs at once: the next client waits for a slot' {
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Exec 'python3', $script:EchoProgram -KeepOpen -MaxClients 1 -Background
        $first = $null
        try {
            $first = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $l.Port)
            $w = [System.IO.StreamWriter]::new($first.GetStream()); $w.AutoFlush = $true
            $r = [System.IO.StreamReader]::new($first.GetStream())
            $w.Write("held`n")
            $line = $r.ReadLineAsync(); $line.Wait([TimeSpan]::FromSeconds($script:WaitSeconds)) | Should -BeTrue
            $line.Result | Should -Be 'echo: held'
            # The second client is accepted only once the first one's program has ended.
            $second = Start-InRunspace { param($Port) (Send-SocketData 127.0.0.1 $Port "next`n" -Reply -Timeout 20).ReplyText } -Arguments @{ Port = $l.Port }
            Start-Sleep -Milliseconds 500
            @($l.GetEvents() | Where-Object Event -eq 'connected').Count | Should -Be 1
            $first.Dispose(); $first = $null
            Wait-InRunspace $second | Should -Be "echo: next`n"
            @($l.GetEvents() | Where-Object Event -eq 'connected').Count | Should -Be 2
        }
        finally {
            if ($first) { $first.Dispose() }
            $l | Stop-SocketListener
        }
    }

    It 'refuses what cannot work, naming the parameters' {
        { New-SocketListener -Port 0 -Exec 'python3' -ShellExec 'cat' -ErrorAction Stop } | Should -Throw '*-Exec*-ShellExec*exclude each other*'
        { New-SocketListener -Port 0 -Exec 'no-such-program-nsock' -ErrorAction Stop } | Should -Throw "*-Exec*no program 'no-such-program-nsock'*"
        { New-SocketListener -Port 0 -Exec 'python3' -Udp -ErrorAction Stop } | Should -Throw '*-Udp*-Exec*'
        { New-SocketListener -Port 0 -ShellExec 'cat' -Echo -ErrorAction Stop } | Should -Throw '*-ShellExec is a mode of its own*'
        { 'x' | New-SocketListener -Port 0 -Exec 'python3' -ErrorAction Stop } | Should -Throw '*-InputObject*-Exec*'
    }
}
