# The netcat parameters: -SourceAddress/-SourcePort on the connecting cmdlets, -Crlf, -Delay, -HexDumpPath and
# -OutputPath on Send-SocketData, and -IdleTimeout, -HexDumpPath, -OutputPath on New-SocketListener.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:echo = Start-Echo

    # A raw TCP listener: the test accepts and reads the client's port.
    function Start-PortNotingPeer {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        [pscustomobject]@{ Listener = $listener; Port = $listener.LocalEndpoint.Port }
    }
    function Get-FreeTcpPort {
        $s = [System.Net.Sockets.Socket]::new([System.Net.Sockets.SocketType]::Stream, [System.Net.Sockets.ProtocolType]::Tcp)
        try { $s.Bind([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0)); $s.LocalEndPoint.Port } finally { $s.Dispose() }
    }
}

AfterAll {
    Get-SocketListener | Stop-SocketListener
}

Describe 'Source address and port' {
    AfterEach { Stop-TestRunspaces }

    It 'Send-SocketData connects from -SourceAddress and -SourcePort' {
        $peer = Start-PortNotingPeer
        $source = Get-FreeTcpPort
        try {
            $accept = $peer.Listener.AcceptTcpClientAsync()
            $r = Send-SocketData 127.0.0.1 $peer.Port 'hi' -SourceAddress 127.0.0.1 -SourcePort $source -Timeout 2
            $accept.Wait([TimeSpan]::FromSeconds(20)) | Should -BeTrue
            $accept.Result.Client.RemoteEndPoint.Port | Should -Be $source
            $accept.Result.Dispose()
            $r.BytesSent | Should -Be 2
        }
        finally { $peer.Listener.Stop() }
    }

    It 'Test-SocketPort and Receive-SocketData take -SourcePort too' {
        $source = Get-FreeTcpPort
        $peer = Start-PortNotingPeer
        try {
            $accept = $peer.Listener.AcceptTcpClientAsync()
            (Test-SocketPort 127.0.0.1 $peer.Port -SourcePort $source).State | Should -Be 'Open'
            $accept.Wait([TimeSpan]::FromSeconds(20)) | Should -BeTrue
            $accept.Result.Client.RemoteEndPoint.Port | Should -Be $source
            $accept.Result.Dispose()
        }
        finally { $peer.Listener.Stop() }
        $sender = 'from the peer' | New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Background
        try {
            $got = Receive-SocketData 127.0.0.1 $sender.Port -SourceAddress 127.0.0.2
            $got.Text | Should -Be 'from the peer'
            $sender.WaitForEnd([TimeSpan]::FromSeconds(10)) | Should -BeTrue
            @(Receive-Job $sender | Where-Object Event -eq 'connected')[0].Remote | Should -Match '^127\.0\.0\.2:'
        }
        finally { $sender | Stop-SocketListener }
    }

    It 'refuses a source of the other family than the target, naming -SourceAddress' {
        $err = $null
        Send-SocketData -ComputerName ::1 -Port 9 -InputObject 'x' -SourceAddress 127.0.0.1 -ErrorAction SilentlyContinue -ErrorVariable err
        $err | Should -HaveCount 1
        "$($err[0].CategoryInfo.Category)" | Should -Be 'InvalidArgument'
        $err[0].Exception.Message | Should -Match 'IPv4'
        # A bad parameter ends the cmdlet before anything is opened (a terminating error).
        { Send-SocketData -ComputerName 127.0.0.1 -Port 9 -InputObject 'x' -SourceAddress 'localhost' } | Should -Throw '*-SourceAddress*not an IP address*'
    }
}

Describe 'Send-SocketData -Crlf, -Delay, -HexDumpPath and -OutputPath' {
    AfterEach { Stop-TestRunspaces }

    It 'sends each line feed as CR LF with -Crlf, keeping a CR LF as it is' {
        $r = "EHLO me`nQUIT`r`n" | Send-SocketData 127.0.0.1 $script:echo.Port -Crlf -Reply
        $r.ReplyText | Should -Be "EHLO me`r`nQUIT`r`n"
    }

    It 'sends a line at a time with -Delay, every byte arriving' {
        $r = "a`nb`nc`n" | Send-SocketData 127.0.0.1 $script:echo.Port -Delay 0.05 -Reply
        $r.ReplyText | Should -Be "a`nb`nc`n"
    }

    It 'records both directions with -HexDumpPath and -OutputPath (relative to the current location)' {
        Push-Location $TestDrive
        try {
            $null = 'ping' | Send-SocketData 127.0.0.1 $script:echo.Port -Reply -HexDumpPath 's.hex' -OutputPath 's.log'
        }
        finally { Pop-Location }
        $hex = Get-Content -Raw (Join-Path $TestDrive 's.hex')
        $hex | Should -Match '(?m)^> \S+Z sent 4 bytes at 0\n00000000  70 69 6e 67 '
        $hex | Should -Match '(?m)^< \S+Z received 4 bytes at 0\n00000000  70 69 6e 67 '
        $log = Get-Content -Raw (Join-Path $TestDrive 's.log')
        $log | Should -Match '^> \S+Z sent 4 bytes at 0\nping\n< \S+Z received 4 bytes at 0\nping\n$'
    }

    It 'refuses a -Delay out of range and a record file in a folder that does not exist' {
        { 'x' | Send-SocketData 127.0.0.1 $script:echo.Port -Delay -1 } | Should -Throw '*-Delay must be 0 or a positive number*'
        { 'x' | Send-SocketData 127.0.0.1 $script:echo.Port -OutputPath (Join-Path $TestDrive 'no/such/x.log') } | Should -Throw '*-OutputPath*does not exist*'
    }
}

Describe 'New-SocketListener -IdleTimeout, -HexDumpPath and -OutputPath' {
    AfterEach { Stop-TestRunspaces }

    It 'closes a quiet client after -IdleTimeout and goes on serving the next' {
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -IdleTimeout 0.3 -Background
        try {
            $quiet = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $l.Port)
            try {
                $quiet.ReceiveTimeout = 20000
                $buffer = [byte[]]::new(16)
                try { $n = $quiet.GetStream().Read($buffer, 0, 16) } catch { $n = 0 }
                $n | Should -Be 0
            }
            finally { $quiet.Dispose() }
            (Send-SocketData 127.0.0.1 $l.Port 'next' -Reply).ReplyText | Should -Be 'next'
            Wait-Until { @(Receive-Job $l -Keep | Where-Object Event -eq 'closed').Count -ge 2 }
            $closed = @(Receive-Job $l -Keep | Where-Object Event -eq 'closed')
            $closed[0].Detail | Should -Match 'idle for 0.3s'
        }
        finally { $l | Stop-SocketListener }
    }

    It 'refuses -IdleTimeout with -Udp' {
        { New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Udp -IdleTimeout 1 -Background -ErrorAction Stop } | Should -Throw '*-IdleTimeout*'
    }

    It 'records each client of an echo listener with -OutputPath and -HexDumpPath' {
        $log = Join-Path $TestDrive 'echo.log'
        $hex = Join-Path $TestDrive 'echo.hex'
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -OutputPath $log -HexDumpPath $hex -Background
        try {
            (Send-SocketData 127.0.0.1 $l.Port 'one' -Reply).ReplyText | Should -Be 'one'
            (Send-SocketData 127.0.0.1 $l.Port 'two' -Reply).ReplyText | Should -Be 'two'
        }
        finally { $l | Stop-SocketListener }
        $text = Get-Content -Raw $log
        $text | Should -Match '(?m)^< \S+Z client 1 received 3 bytes at 0\none\n'
        $text | Should -Match '(?m)^> \S+Z client 2 sent 3 bytes at 0\ntwo\n'
        Get-Content -Raw $hex | Should -Match '\|two\|'
    }
}
