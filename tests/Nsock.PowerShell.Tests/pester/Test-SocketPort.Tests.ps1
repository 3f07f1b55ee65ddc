# Test-SocketPort: TCP and UDP probes, ports by position and from the pipeline, -Quiet, -Wait, errors, Ctrl+C.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:open = Start-Echo
    $script:udpOpen = Start-Echo -Udp
}

AfterAll {
    Get-SocketListener | Stop-SocketListener
}

Describe 'Test-SocketPort' {
    # A test that failed before its own finally leaves no runspace running into the next one.
    AfterEach { Stop-TestRunspaces }
    It 'says open and closed, in the order given (named parameters)' {
        $closed = Get-ClosedTcpPort
        $r = @(Test-SocketPort -ComputerName 127.0.0.1 -Port $script:open.Port, $closed)
        $r | Should -HaveCount 2
        $r[0] | Should -BeOfType ([Nsock.Core.PortProbeResult])
        $r[0].Port | Should -Be $script:open.Port
        "$($r[0].State)" | Should -Be 'Open'
        $r[0].LatencyMs | Should -BeGreaterThan 0
        $r[1].Port | Should -Be $closed
        "$($r[1].State)" | Should -Be 'Closed'
        $r[1].StateText | Should -Be 'closed'
    }

    It 'takes ports from the pipeline and by position' {
        $closed = Get-ClosedTcpPort
        $piped = @($script:open.Port, $closed | Test-SocketPort -ComputerName 127.0.0.1)
        @($piped | ForEach-Object { "$($_.State)" }) | Should -Be @('Open', 'Closed')
        "$((Test-SocketPort 127.0.0.1 $script:open.Port).State)" | Should -Be 'Open'
    }

    It 'returns only $true or $false with -Quiet' {
        Test-SocketPort 127.0.0.1 $script:open.Port -Quiet | Should -BeTrue
        Test-SocketPort 127.0.0.1 $script:open.Port, (Get-ClosedTcpPort) -Quiet | Should -BeFalse
    }

    It 'probes UDP with -Udp: a reply is open, port unreachable is closed' {
        "$((Test-SocketPort 127.0.0.1 $script:udpOpen.Port -Udp).State)" | Should -Be 'Open'
        $r = Test-SocketPort 127.0.0.1 (Get-ClosedUdpPort) -Udp -Timeout 1
        $r.Protocol | Should -Be 'udp'
        "$($r.State)" | Should -BeIn @('Closed', 'OpenFiltered')
    }

    It 'waits with -Wait until a port opens' {
        $port = Get-ClosedTcpPort
        $late = Start-InRunspace { param($Port) Start-Sleep -Milliseconds 700; New-SocketListener -Port $Port -LocalAddress 127.0.0.1 -Echo -Timeout 8 } -Arguments @{ Port = $port }
        try {
            $r = Test-SocketPort 127.0.0.1 $port -Wait -Timeout 8
            "$($r.State)" | Should -Be 'Open'
        }
        finally { $null = Stop-InRunspace $late }
    }

    It 'gives up waiting after -Timeout and says why' {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $r = Test-SocketPort 127.0.0.1 (Get-ClosedTcpPort) -Wait -Timeout 1
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
        "$($r.State)" | Should -Be 'Closed'
        Test-SocketPort 127.0.0.1 (Get-ClosedTcpPort) -Wait -Timeout 0.5 -Quiet | Should -BeFalse
    }

    It 'rejects bad input' {
        { Test-SocketPort 127.0.0.1 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        { Test-SocketPort '10/8' 80 -ErrorAction Stop } | Should -Throw -ErrorId 'BadInput,*'
        { Test-SocketPort 127.0.0.1 80 -Timeout -1 } | Should -Throw -ErrorId 'BadInput,*'
    }

    It 'stops promptly on Ctrl+C' {
        $run = Start-InRunspace { param($Port) Test-SocketPort 127.0.0.1 $Port -Wait -Timeout 60 } -Arguments @{ Port = (Get-ClosedTcpPort) }
        Start-Sleep -Milliseconds 500
        $run.Handle.IsCompleted | Should -BeFalse
        Stop-InRunspace $run | Should -BeLessThan 5
    }
}

Describe 'Test-SocketPort with rows from the pipeline' {
    AfterEach { Stop-TestRunspaces }
    BeforeAll {
        $script:csv = Join-Path ([System.IO.Path]::GetTempPath()) ("nsock-probe-" + [guid]::NewGuid().ToString('N') + '.csv')
        $script:listener = Start-SilentPeer
        $script:openPort = $script:listener.LocalEndpoint.Port
    }
    AfterAll {
        $script:listener.Stop()
        Remove-Item -LiteralPath $script:csv -ErrorAction SilentlyContinue
    }

    It 'takes ComputerName and Port by property name from Import-Csv, each row with its own host and port' {
        $closed = Get-ClosedTcpPort
        "ComputerName,Port`n127.0.0.1,$script:openPort`nlocalhost,$closed`n127.0.0.1,$closed" | Set-Content -LiteralPath $script:csv
        $r = @(Import-Csv -LiteralPath $script:csv | Test-SocketPort)
        @($r | ForEach-Object { "$($_.Target):$($_.Port):$($_.State)" }) |
            Should -Be @("127.0.0.1:$($script:openPort):Open", "localhost:$($closed):Closed", "127.0.0.1:$($closed):Closed")
    }

    It 'takes the RemoteAddress and RemotePort columns too' {
        $closed = Get-ClosedTcpPort
        "RemoteAddress,RemotePort`n127.0.0.1,$closed`n127.0.0.1,$script:openPort" | Set-Content -LiteralPath $script:csv
        $r = @(Import-Csv -LiteralPath $script:csv | Test-SocketPort)
        @($r | ForEach-Object { "$($_.Port):$($_.State)" }) | Should -Be @("$($closed):Closed", "$($script:openPort):Open")
        Import-Csv -LiteralPath $script:csv | Test-SocketPort -Quiet | Should -BeFalse
    }

    It 'takes -Endpoint rows (host:port) by property name' {
        $closed = Get-ClosedTcpPort
        "Endpoint`n127.0.0.1:$script:openPort`ntcp://127.0.0.1:$closed" | Set-Content -LiteralPath $script:csv
        $r = @(Import-Csv -LiteralPath $script:csv | Test-SocketPort)
        @($r | ForEach-Object { "$($_.Port):$($_.State)" }) | Should -Be @("$($script:openPort):Open", "$($closed):Closed")
        "$((Test-SocketPort -Endpoint "127.0.0.1:$script:openPort").State)" | Should -Be 'Open'
    }

    It 'takes hosts and ports by position' {
        $closed = Get-ClosedTcpPort
        $r = @(Test-SocketPort 127.0.0.1 $script:openPort, $closed)
        @($r | ForEach-Object { "$($_.State)" }) | Should -Be @('Open', 'Closed')
        Test-SocketPort 127.0.0.1 $script:openPort -Quiet | Should -BeTrue
    }

    It 'ends on bad input before probing anything, naming the PowerShell parameter' {
        $rows = @([pscustomobject]@{ Endpoint = "127.0.0.1:$script:openPort" }, [pscustomobject]@{ Endpoint = 'udp://127.0.0.1:9' })
        $out = [System.Collections.Generic.List[object]]::new()
        $err = $null
        try { $rows | Test-SocketPort -ErrorAction Stop | ForEach-Object { $out.Add($_) } } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'BadInput,*'
        "$err" | Should -BeLike '*-Endpoint*-Udp*'
        $out.Count | Should -Be 0
        { Test-SocketPort 127.0.0.1 $script:openPort -Timeout 0 -ErrorAction Stop } | Should -Throw -ErrorId 'BadInput,*' -ExpectedMessage '*-Timeout*'
        { Test-SocketPort -Endpoint '127.0.0.1' -ErrorAction Stop } | Should -Throw -ErrorId 'BadInput,*' -ExpectedMessage '*-Endpoint*'
        { Test-SocketPort 127.0.0.1 $script:openPort -IPv4 -IPv6 -ErrorAction Stop } | Should -Throw -ErrorId 'BadInput,*' -ExpectedMessage '*-IPv4*'
        { [pscustomobject]@{ ComputerName = '127.0.0.1'; Port = 0 } | Test-SocketPort -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }
}

Describe 'Test-SocketPort under ForEach-Object -Parallel' {
    AfterEach { Stop-TestRunspaces }

    It 'calls every open port open and every closed one closed with 32 runspaces probing at once' {
        # 40 listeners that never accept (the kernel completes the handshakes) and 40 closed ports. Before the engine
        # waited for connects on its own thread, busy runspaces starved the thread pool of the threads that delivered
        # connect completions, and open ports came back "filtered".
        $listeners = [System.Collections.Generic.List[System.Net.Sockets.TcpListener]]::new()
        try {
            for ($i = 0; $i -lt 40; $i++) {
                $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
                $l.Start(100)
                $listeners.Add($l)
            }
            $open = @($listeners | ForEach-Object { $_.LocalEndpoint.Port })
            $closed = @(1..40 | ForEach-Object { Get-ClosedTcpPort } | Where-Object { $open -notcontains $_ })
            $ports = @($open) + @($closed)
            $module = $script:ModulePath
            $r = @($ports | ForEach-Object -ThrottleLimit 32 -TimeoutSeconds 120 -Parallel {
                Import-Module $using:module
                Test-SocketPort -ComputerName 127.0.0.1 -Port $_
            })
            $r | Should -HaveCount $ports.Count
            $wrong = @($r | Where-Object {
                $want = if ($open -contains $_.Port) { 'Open' } else { 'Closed' }
                "$($_.State)" -ne $want
            } | ForEach-Object { "$($_.Port) $($_.State) ($($_.Detail))" })
            $wrong -join '; ' | Should -BeNullOrEmpty
        }
        finally {
            foreach ($l in $listeners) { $l.Stop() }
        }
    }
}

Describe 'Test-SocketPort results as PowerShell shows and keeps them' {
    AfterEach { Stop-TestRunspaces }
    BeforeAll {
        $script:listener = Start-SilentPeer
        $script:openPort = $script:listener.LocalEndpoint.Port
    }
    AfterAll { $script:listener.Stop() }

    It 'fits its table in 80 columns with every column, and uses the room at 120' {
        $r = Test-SocketPort 127.0.0.1, localhost $script:openPort, (Get-ClosedTcpPort)
        foreach ($width in 80, 120) {
            $lines = @(($r | Out-String -Width $width) -split "`r?`n" | Where-Object { $_.Trim() })
            $long = @($lines | Where-Object { $_.Length -gt $width })
            $long | Should -BeNullOrEmpty -Because "no line may be wider than $width"
            foreach ($column in 'Target', 'Address', 'Port', 'Proto', 'State', 'Latency', 'Detail') { $lines[0] | Should -Match "\b$column\b" }
            $lines | Should -HaveCount 6
            ($lines | Select-Object -Skip 2 | Where-Object { $_ -match '\bopen\b' }) | Should -HaveCount 2
        }
    }

    It 'survives Export-Clixml and Import-Clixml (what remoting does): state and port still read' {
        $path = Join-Path ([System.IO.Path]::GetTempPath()) ("nsock-probe-" + [guid]::NewGuid().ToString('N') + '.xml')
        try {
            $closed = Get-ClosedTcpPort
            Test-SocketPort 127.0.0.1 $script:openPort, $closed | Export-Clixml -LiteralPath $path
            $back = @(Import-Clixml -LiteralPath $path)
            $back | Should -HaveCount 2
            $back[0].PSTypeNames | Should -Contain 'Deserialized.Nsock.Core.PortProbeResult'
            $back[0].Port | Should -Be $script:openPort
            # A custom enum comes back as its number with its name as ToString(); StateText is the plain text.
            $back[0].State.ToString() | Should -Be 'Open'
            $back[0].StateText | Should -Be 'open'
            $back[1].Port | Should -Be $closed
            $back[1].State.ToString() | Should -Be 'Closed'
            @($back | Where-Object StateText -eq 'open') | Should -HaveCount 1
            $table = @(($back | Out-String -Width 80) -split "`r?`n" | Where-Object { $_.Trim() })
            $table[0] | Should -Match '\bProto\b'
            $table[2] | Should -Match "\b$($script:openPort)\b.*\bopen\b"
            $table[3] | Should -Match "\b$closed\b.*\bclosed\b"
        }
        finally { Remove-Item -LiteralPath $path -ErrorAction SilentlyContinue }
    }
}

Describe 'Test-SocketPort against independent peers' {
    AfterEach { Stop-TestRunspaces }

    It 'calls a python3 listener and the nsock command open, a freed port closed, and a python3 UDP echo open' {
        $code = 'import socket' + "`n" + 'l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(8); print(l.getsockname()[1], flush=True)' + "`n" + 'while True:' + "`n" + '    c, _ = l.accept(); c.close()'
        $py = Start-ProcessPeer python3 @('-c', $code)
        $cmd = Start-NsockEcho
        $udpCode = 'import socket' + "`n" + 's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1], flush=True)' + "`n" + 'while True:' + "`n" + '    d, a = s.recvfrom(65536); s.sendto(d, a)'
        $udp = Start-ProcessPeer python3 @('-c', $udpCode)
        try {
            $closed = Get-ClosedTcpPort
            $r = @(Test-SocketPort 127.0.0.1 $py.Port, $cmd.Port, $closed)
            $r.Port | Should -Be @($py.Port, $cmd.Port, $closed)
            "$($r[0].State)", "$($r[1].State)", "$($r[2].State)" | Should -Be @('Open', 'Open', 'Closed')
            "$((Test-SocketPort 127.0.0.1 $udp.Port -Udp).State)" | Should -Be 'Open'
        }
        finally { $py, $cmd, $udp | Stop-ProcessPeer }
    }
}
