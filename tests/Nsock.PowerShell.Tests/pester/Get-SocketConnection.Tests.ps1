# Get-SocketConnection: this session's own loopback sockets listed with state and owner, filters as named parameters
# and from the pipeline, the table view at 80 columns, -Watch seeing a connection open and close, bad input.
# Every call filters on a port or process the test holds, so sockets of anything else running never change counts.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:echo = Start-Echo
    # What a runspace wrote so far. Piping its output collection itself would wait for the pipeline to end.
    function Get-Written($Run) { for ($i = 0; $i -lt $Run.Output.Count; $i++) { $Run.Output[$i] } }
}

AfterAll {
    Get-SocketListener | Stop-SocketListener
}

Describe 'Get-SocketConnection' {
    AfterEach { Stop-TestRunspaces }

    It 'lists the listener and both ends of a connection, owned by this process (named parameters)' {
        $client = [System.Net.Sockets.TcpClient]::new([System.Net.Sockets.AddressFamily]::InterNetwork)
        try {
            $client.Connect('127.0.0.1', $script:echo.Port)
            # Until the listener accepts it, the server's end waits in the kernel's queue with no owner (the
            # listener's ReceiveQueue counts it).
            Wait-Until { @(Get-SocketConnection -Port $script:echo.Port -Protocol Tcp -OwningProcess $PID).Count -eq 3 } | Should -BeTrue
            $r = @(Get-SocketConnection -Port $script:echo.Port -Protocol Tcp -OwningProcess $PID)
            $r | Should -HaveCount 3
            $r[0] | Should -BeOfType ([Nsock.Core.SocketConnection])
            @($r | Where-Object State -eq 'Listen') | Should -HaveCount 1
            @($r | Where-Object State -eq 'Established') | Should -HaveCount 2
            $mine = $r | Where-Object LocalPort -eq $client.Client.LocalEndPoint.Port
            $mine.RemotePort | Should -Be $script:echo.Port
            $mine.RemoteAddress | Should -Be '127.0.0.1'
            "$($mine.Protocol)" | Should -Be 'Tcp'
            foreach ($c in $r) {
                $c.ProcessId | Should -Be $PID
                $c.ProcessName | Should -Not -BeNullOrEmpty
                $c.SendQueue | Should -Be 0
            }
        }
        finally { $client.Dispose() }
    }

    It 'filters in a pipeline: Where-Object Port, processes by property name, -ProcessId alias' {
        $listening = @(Get-SocketConnection -Listening | Where-Object Port -eq $script:echo.Port)
        $listening | Should -HaveCount 1
        "$($listening[0].State)" | Should -Be 'Listen'
        @(Get-Process -Id $PID | Get-SocketConnection -Port $script:echo.Port -Listening) | Should -HaveCount 1
        @(Get-SocketConnection -ProcessId $PID -Port $script:echo.Port -Listening) | Should -HaveCount 1
        # PID 1 holds nothing on this test's port.
        @(Get-SocketConnection -OwningProcess 1 -Port $script:echo.Port) | Should -HaveCount 0
        @(Get-SocketConnection -State Listen, SynSent -Port $script:echo.Port) | Should -HaveCount 1
        @(Get-SocketConnection -IPv6 -Port $script:echo.Port) | Should -HaveCount 0
        @(Get-SocketConnection -IPv4 -Listening -Port $script:echo.Port) | Should -HaveCount 1
    }

    It 'lists UDP sockets as Unconnected and Unix listeners by path when asked' -Skip:(-not $IsLinux) {
        $udp = Start-Echo -Udp
        $path = New-UnixSocketPath
        $unix = [System.Net.Sockets.Socket]::new([System.Net.Sockets.AddressFamily]::Unix, [System.Net.Sockets.SocketType]::Stream, [System.Net.Sockets.ProtocolType]::Unspecified)
        try {
            $unix.Bind([System.Net.Sockets.UnixDomainSocketEndPoint]::new($path))
            $unix.Listen(1)
            $u = @(Get-SocketConnection -Protocol Udp -Port $udp.Port)
            $u | Should -HaveCount 1
            "$($u[0].State)" | Should -Be 'Unconnected'
            $x = @(Get-SocketConnection -Protocol Unix -OwningProcess $PID | Where-Object Path -eq $path)
            $x | Should -HaveCount 1
            "$($x[0].State)" | Should -Be 'Listen'
            $x[0].LocalPort | Should -BeNullOrEmpty
            @(Get-SocketConnection -OwningProcess $PID | Where-Object Path -eq $path) | Should -HaveCount 0 -Because 'Unix sockets only when asked'
        }
        finally {
            $unix.Dispose()
            Remove-Item -LiteralPath $path -ErrorAction SilentlyContinue
            $udp | Stop-SocketListener
        }
    }

    It 'shows sockets and changes in a table that fits 80 columns' {
        $client = [System.Net.Sockets.TcpClient]::new() # dual-stack: its addresses are the long IPv4-mapped kind
        try {
            $client.Connect('127.0.0.1', $script:echo.Port)
            Wait-Until { @(Get-SocketConnection -Port $script:echo.Port -OwningProcess $PID).Count -eq 3 } | Should -BeTrue
            $r = @(Get-SocketConnection -Port $script:echo.Port -OwningProcess $PID)
            $text = $r | Format-Table | Out-String -Width 80
            Test-LinesFit $text 80 | Should -BeTrue
            $text | Should -Match 'Proto +Local +Remote +State +Process'
            $text | Should -Match "127\.0\.0\.1:$($script:echo.Port) +0\.0\.0\.0:\* +Listen +$PID/"
            $change = [Nsock.Core.ConnectionChange]::new('Opened', $r[0], $null, [DateTimeOffset]::Now)
            $changeText = $change | Format-Table | Out-String -Width 80
            Test-LinesFit $changeText 80 | Should -BeTrue
            $changeText | Should -Match 'Change +Proto +Local +Remote +State +Process'
        }
        finally { $client.Dispose() }
    }

    It 'watches: lists first, then sees a connection open and close, and stops on Ctrl+C' {
        $run = Start-InRunspace { param($Port) Get-SocketConnection -Port $Port -Protocol Tcp -Watch -Interval 0.1 } -Arguments @{ Port = $script:echo.Port }
        $client = [System.Net.Sockets.TcpClient]::new([System.Net.Sockets.AddressFamily]::InterNetwork)
        try {
            Wait-Until { @(Get-Written $run | Where-Object Change -eq 'Listed').Count -ge 1 } | Should -BeTrue
            $client.Connect('127.0.0.1', $script:echo.Port)
            $clientPort = $client.Client.LocalEndPoint.Port
            Wait-Until { @(Get-Written $run | Where-Object { $_.Change -eq 'Opened' -and $_.Connection.LocalPort -eq $clientPort }).Count -ge 1 } | Should -BeTrue
            $client.Dispose()
            # The echo listener closes its end once the client has: that end is gone (Closed), the client's waits in TimeWait.
            Wait-Until { @(Get-Written $run | Where-Object { $_.Change -eq 'Closed' -and $_.Connection.RemotePort -eq $clientPort }).Count -ge 1 } | Should -BeTrue
            $run.Handle.IsCompleted | Should -BeFalse
            # Earlier tests' connections may still be listed in TimeWait; the listener is listed once, as Listen.
            $listed = @(Get-Written $run | Where-Object { $_.Change -eq 'Listed' -and $_.Connection.LocalPort -eq $script:echo.Port })
            $listed | Should -HaveCount 1
            "$($listed[0].Connection.State)" | Should -Be 'Listen'
            @(Get-Written $run | Where-Object { $_.Change -eq 'Listed' -and $_.Connection.LocalPort -eq $clientPort }) | Should -HaveCount 0
            $run.Output[0] | Should -BeOfType ([Nsock.Core.ConnectionChange])
        }
        finally { $client.Dispose() }
        Stop-InRunspace $run | Should -BeLessThan 5
    }

    It 'ends a watch when Select-Object -First has enough' {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $first = @(Get-SocketConnection -Port $script:echo.Port -Watch -Interval 0.1 | Select-Object -First 1)
        $first | Should -HaveCount 1
        "$($first[0].Change)" | Should -Be 'Listed'
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
    }

    It 'rejects bad input' {
        { Get-SocketConnection -Port 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        { Get-SocketConnection -Watch -Interval 0 } | Should -Throw -ErrorId 'BadInput,*'
        { Get-SocketConnection -Protocol Unix -IPv4 } | Should -Throw -ErrorId 'BadInput,*'
        { Get-SocketConnection -Listening -State Listen } | Should -Throw -ErrorId 'BadInput,*'
        { Get-SocketConnection -IPv4 -IPv6 } | Should -Throw -ErrorId 'BadInput,*'
        { Get-SocketConnection -State Nonsense } | Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,*'
    }
}
