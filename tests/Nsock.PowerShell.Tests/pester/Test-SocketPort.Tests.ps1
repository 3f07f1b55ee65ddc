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
