# Invoke-UdpPing: one object per reply as it comes, then a summary; UDP and TCP; losses, refusals, errors, Ctrl+C.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:udpEcho = Start-Echo -Udp
    $script:tcpEcho = Start-Echo
}

AfterAll {
    Get-SocketListener | Stop-SocketListener
}

Describe 'Invoke-UdpPing' {
    # A test that failed before its own finally leaves no runspace running into the next one.
    AfterEach { Stop-TestRunspaces }
    It 'writes a reply per probe, then the summary (named parameters)' {
        $out = @(Invoke-UdpPing -ComputerName 127.0.0.1 -Port $script:udpEcho.Port -Count 3 -Interval 0)
        $out | Should -HaveCount 4
        $replies = $out[0..2]
        $replies | ForEach-Object { $_ | Should -BeOfType ([Nsock.Core.PingReply]) }
        @($replies | ForEach-Object Seq) | Should -Be @(1, 2, 3)
        $replies[0].Bytes | Should -Be 32
        $replies[0].Protocol | Should -Be 'udp'
        $replies[0].RttMs | Should -BeGreaterThan 0
        $summary = $out[-1]
        $summary | Should -BeOfType ([Nsock.Core.PingSummary])
        $summary.Sent | Should -Be 3
        $summary.Received | Should -Be 3
        $summary.LossPercent | Should -Be 0
        $summary.MinMs | Should -BeLessOrEqual $summary.MaxMs
    }

    It 'takes host and port by position, an -Endpoint, or host names from the pipeline' {
        (Invoke-UdpPing 127.0.0.1 $script:udpEcho.Port -Count 1 | Select-Object -Last 1).Received | Should -Be 1
        (Invoke-UdpPing -Endpoint "udp://127.0.0.1:$($script:udpEcho.Port)" -Count 1 | Select-Object -Last 1).Received | Should -Be 1
        $summaries = @('127.0.0.1', '127.0.0.1' | Invoke-UdpPing -Port $script:udpEcho.Port -Count 1 | Where-Object { $_ -is [Nsock.Core.PingSummary] })
        $summaries | Should -HaveCount 2
    }

    It 'sends probes of -Size bytes, or just big enough for -Payload' {
        (Invoke-UdpPing 127.0.0.1 $script:udpEcho.Port -Count 1 -Size 200 | Select-Object -First 1).Bytes | Should -Be 200
        (Invoke-UdpPing 127.0.0.1 $script:udpEcho.Port -Count 1 -Payload ([byte[]](1, 2, 3, 4)) | Select-Object -First 1).Bytes | Should -Be 16
    }

    It 'does not count -Warmup probes' {
        (Invoke-UdpPing 127.0.0.1 $script:udpEcho.Port -Count 2 -Warmup 2 -Interval 0 | Select-Object -Last 1).Sent | Should -Be 2
    }

    It 'times TCP connects with -Tcp' {
        $out = @(Invoke-UdpPing 127.0.0.1 $script:tcpEcho.Port -Tcp -Count 2 -Interval 0)
        $out[0].Protocol | Should -Be 'tcp'
        $out[-1].Received | Should -Be 2
    }

    It 'writes lost probes and a timeout error when nothing answers' {
        $silent = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
        try {
            $err = $null
            $out = @(Invoke-UdpPing 127.0.0.1 $silent.Client.LocalEndPoint.Port -Count 2 -Interval 0 -Timeout 0.3 -ErrorAction SilentlyContinue -ErrorVariable err)
            @($out | Where-Object { $_ -is [Nsock.Core.PingLost] }) | Should -HaveCount 2
            $out[-1].Received | Should -Be 0
            $out[-1].LossPercent | Should -Be 100
            "$($err[0].CategoryInfo.Category)" | Should -Be 'OperationTimeout'
            $err[0].TargetObject | Should -Be $out[-1]
        }
        finally { $silent.Dispose() }
    }

    It 'reports a closed UDP port as refused, a ConnectionError' {
        $err = $null
        $out = @(Invoke-UdpPing 127.0.0.1 (Get-ClosedUdpPort) -Count 2 -Interval 0 -Timeout 1 -ErrorAction SilentlyContinue -ErrorVariable err)
        $out[-1].Refused | Should -BeGreaterThan 0
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionRefused,*'
        "$($err[0].CategoryInfo.Category)" | Should -Be 'ConnectionError'
    }

    It 'rejects bad input before sending anything' {
        { Invoke-UdpPing 127.0.0.1 9 -Size 5 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        { Invoke-UdpPing -Endpoint 'udp://127.0.0.1:9' -Tcp } | Should -Throw -ErrorId 'BadInput,*'
        { Invoke-UdpPing 127.0.0.1 9 -Interval -1 } | Should -Throw -ErrorId 'BadInput,*'
        { Invoke-UdpPing -Endpoint '127.0.0.1' } | Should -Throw -ErrorId 'BadInput,*'
    }

    It 'stops promptly on Ctrl+C' {
        $run = Start-InRunspace { param($Port) Invoke-UdpPing 127.0.0.1 $Port -Count 1000 -Interval 1 } -Arguments @{ Port = $script:udpEcho.Port }
        Wait-Until { $run.Output.Count -ge 1 } | Should -BeTrue
        Stop-InRunspace $run | Should -BeLessThan 5
    }
}

Describe 'Invoke-UdpPing as scripts use it' {
    AfterEach { Stop-TestRunspaces }

    It 'pings every host piped in by value, and every row by property name' {
        $s = @('127.0.0.1', '127.0.0.1' | Invoke-UdpPing -Port $script:udpEcho.Port -Count 2 -Interval 0 | Where-Object Event -eq 'summary')
        $s | Should -HaveCount 2
        $s.Received | Should -Be @(2, 2)
        $rows = @([pscustomobject]@{ ComputerName = '127.0.0.1'; Port = $script:udpEcho.Port }, [pscustomobject]@{ RemoteAddress = '127.0.0.1'; RemotePort = $script:udpEcho.Port })
        $s = @($rows | Invoke-UdpPing -Count 1 | Where-Object Event -eq 'summary')
        $s | Should -HaveCount 2
        $s.Received | Should -Be @(1, 1)
    }

    It 'pings a python3 UDP echo peer' {
        $code = 'import socket' + "`n" + 's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1], flush=True)' + "`n" + 'while True:' + "`n" + '    d, a = s.recvfrom(65536); s.sendto(d, a)'
        $py = Start-ProcessPeer python3 @('-c', $code)
        try {
            $s = Invoke-UdpPing 127.0.0.1 $py.Port -Count 3 -Interval 0 | Select-Object -Last 1
            $s.Received | Should -Be 3
        }
        finally { $py | Stop-ProcessPeer }
    }

    It 'gives a summary that survives Export-Clixml and a table view that fits 80 columns' {
        $s = Invoke-UdpPing 127.0.0.1 $script:udpEcho.Port -Count 2 -Interval 0 | Select-Object -Last 1
        $file = Join-Path $TestDrive 'ping.clixml'
        $s | Export-Clixml -LiteralPath $file
        (Import-Clixml -LiteralPath $file).Received | Should -Be 2
        foreach ($width in 80, 120) {
            $text = $s | Format-Table | Out-String -Width $width
            Test-LinesFit $text $width | Should -BeTrue
            $text | Should -Match 'Loss %'
            $text | Should -Match 'Jitter'
        }
    }
}
