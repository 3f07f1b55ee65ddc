# Send-SocketData: named, positional and pipeline input; strings, bytes and files; TCP, UDP and Unix; errors.

BeforeDiscovery {
    $script:IsWindowsHost = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:echo = Start-Echo
    $script:udpEcho = Start-Echo -Udp
}

AfterAll {
    Get-SocketListener | Stop-SocketListener
}

Describe 'Send-SocketData over TCP' {
    # A test that failed before its own finally leaves no runspace running into the next one.
    AfterEach { Stop-TestRunspaces }
    It 'sends with named parameters, half-closes and returns the reply' {
        $r = Send-SocketData -ComputerName 127.0.0.1 -Port $script:echo.Port -InputObject 'hello' -Reply
        $r | Should -BeOfType ([Nsock.PowerShell.SocketSendResult])
        $r.ReplyText | Should -Be 'hello'
        $r.Reply | Should -Be ([byte[]][char[]]'hello')
        $r.BytesSent | Should -Be 5
        $r.BytesReceived | Should -Be 5
        $r.PeerClosed | Should -BeTrue
        $r.Transport | Should -Be 'tcp'
        $r.Remote | Should -Be "127.0.0.1:$($script:echo.Port)"
    }

    It 'takes host, port and data by position' {
        (Send-SocketData 127.0.0.1 $script:echo.Port 'positional' -Reply).ReplyText | Should -Be 'positional'
    }

    It 'takes the command''s endpoint syntax with -Endpoint' {
        (Send-SocketData -Endpoint "tcp://127.0.0.1:$($script:echo.Port)" -InputObject 'by endpoint' -Reply).ReplyText | Should -Be 'by endpoint'
    }

    It 'sends piped strings over one connection, exactly as given' {
        $r = 'a', 'b', 'c' | Send-SocketData 127.0.0.1 $script:echo.Port -Reply
        $r.ReplyText | Should -Be 'abc'
        @($r).Count | Should -Be 1
    }

    It 'adds a newline after each string with -Newline' {
        ('a', 'b' | Send-SocketData 127.0.0.1 $script:echo.Port -Newline -Reply).ReplyText | Should -Be "a`nb`n"
    }

    It 'sends the items of an array given to -InputObject' {
        (Send-SocketData 127.0.0.1 $script:echo.Port -InputObject 'x', 'y' -Reply).ReplyText | Should -Be 'xy'
    }

    It 'sends byte arrays as they are' {
        $r = Send-SocketData 127.0.0.1 $script:echo.Port -InputObject ([byte[]](0, 1, 2, 255)) -Reply
        $r.Reply | Should -Be ([byte[]](0, 1, 2, 255))
    }

    It 'encodes strings with -Encoding (a name or an Encoding object)' {
        $r = Send-SocketData 127.0.0.1 $script:echo.Port ([string][char]0xE9) -Encoding latin1 -Reply
        $r.BytesSent | Should -Be 1
        $r.ReplyText | Should -Be ([string][char]0xE9)
        (Send-SocketData 127.0.0.1 $script:echo.Port 'ab' -Encoding ([System.Text.Encoding]::Unicode) -Reply).BytesSent | Should -Be 4
    }

    It 'without -Reply still reads (and discards) the answer, so nothing is reset' {
        $r = Send-SocketData 127.0.0.1 $script:echo.Port 'quiet'
        $r.Reply | Should -BeNullOrEmpty
        $r.BytesReceived | Should -Be 5
    }

    It 'sends a file with -Path, -LiteralPath, or as a piped FileInfo' {
        $file = Join-Path $TestDrive 'payload.bin'
        [System.IO.File]::WriteAllBytes($file, [byte[]](1..200))
        foreach ($send in @(
                { param($p) Send-SocketData 127.0.0.1 $p -Path (Join-Path $TestDrive 'payload.*') },
                { param($p) Send-SocketData 127.0.0.1 $p -LiteralPath $file },
                { param($p) Get-Item -LiteralPath $file | Send-SocketData 127.0.0.1 $p })) {
            $peer = Start-Peer
            try {
                $r = & $send $peer.Port
                $r.BytesSent | Should -Be 200
                $peer.WaitForEnd([TimeSpan]::FromSeconds(10)) | Should -BeTrue
                $peer.GetReceivedData() | Should -Be ([byte[]](1..200))
            }
            finally { $peer | Stop-SocketListener }
        }
    }

    It 'gives up waiting for a peer that never closes after -Timeout, without an error' {
        $peer = Start-SilentPeer
        try {
            $r = Send-SocketData 127.0.0.1 $peer.LocalEndpoint.Port 'x' -Timeout 0.5 -ErrorAction Stop
            $r.PeerClosed | Should -BeFalse
            $r.BytesSent | Should -Be 1
        }
        finally { $peer.Stop() }
    }
}

Describe 'Send-SocketData over UDP and Unix sockets' {
    # A test that failed before its own finally leaves no runspace running into the next one.
    AfterEach { Stop-TestRunspaces }
    It 'sends each pipeline record as one datagram and keeps each reply datagram' {
        $r = 'one', 'two', 'three' | Send-SocketData -Endpoint "udp://127.0.0.1:$($script:udpEcho.Port)" -Reply
        $r.Transport | Should -Be 'udp'
        $r.Datagrams | Should -Be 3
        $r.ReplyDatagrams | Should -HaveCount 3
        @($r.ReplyDatagrams | ForEach-Object { [System.Text.Encoding]::ASCII.GetString($_) } | Sort-Object) | Should -Be @('one', 'three', 'two')
    }

    It 'joins a piped byte array into one datagram' {
        $r = [byte[]](1, 2, 3) | Send-SocketData 127.0.0.1 $script:udpEcho.Port -Udp -Reply
        $r.Datagrams | Should -Be 1
        $r.Reply | Should -Be ([byte[]](1, 2, 3))
    }

    It 'talks to a Unix socket' -Skip:$script:IsWindowsHost {
        $path = New-UnixSocketPath
        $l = New-SocketListener -Endpoint "unix:$path" -Echo -Background
        try {
            $r = Send-SocketData -Endpoint "unix:$path" -InputObject 'unix data' -Reply
            $r.ReplyText | Should -Be 'unix data'
            $r.Transport | Should -Be 'unix'
        }
        finally { $l | Stop-SocketListener }
    }
}

Describe 'Send-SocketData errors' {
    # A test that failed before its own finally leaves no runspace running into the next one.
    AfterEach { Stop-TestRunspaces }
    It 'reports a refused connection as a ConnectionError with the endpoint as target' {
        $port = Get-ClosedTcpPort
        $err = $null
        Send-SocketData 127.0.0.1 $port 'x' -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err | Should -HaveCount 1
        "$($err[0].CategoryInfo.Category)" | Should -Be 'ConnectionError'
        $err[0].FullyQualifiedErrorId | Should -Be 'ConnectionRefused,Nsock.PowerShell.SendSocketDataCommand'
        $err[0].TargetObject | Should -Be "tcp://127.0.0.1:$port"
    }

    It 'reports a refused UDP port (ICMP port unreachable) when replies are awaited' {
        { Send-SocketData 127.0.0.1 (Get-ClosedUdpPort) 'x' -Udp -Reply -Timeout 2 -ErrorAction Stop } | Should -Throw -ErrorId 'ConnectionRefused,*'
    }

    It 'rejects bad input with InvalidArgument before opening anything' {
        { Send-SocketData -Endpoint '127.0.0.1:70000' -InputObject 'x' } | Should -Throw -ErrorId 'BadInput,*'
        { Send-SocketData -Endpoint "tcp://127.0.0.1:$($script:echo.Port)" -InputObject 'x' -Udp } | Should -Throw -ErrorId 'BadInput,*'
        { Send-SocketData -ComputerName 127.0.0.1 -Port $script:echo.Port -IPv6 -InputObject 'x' -ErrorAction Stop } | Should -Throw -ErrorId 'BadInput,*'
        { Send-SocketData 127.0.0.1 0 'x' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        $err = $null
        try { Send-SocketData -Endpoint 'bogus://x:1' -InputObject 'x' } catch { $err = $_ }
        "$($err.CategoryInfo.Category)" | Should -Be 'InvalidArgument'
    }

    It 'reports a file that does not exist' {
        { Send-SocketData 127.0.0.1 $script:echo.Port -LiteralPath (Join-Path $TestDrive 'missing.bin') -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFound,*'
        { Send-SocketData 127.0.0.1 $script:echo.Port -Path (Join-Path $TestDrive 'missing*.bin') -ErrorAction Stop } | Should -Throw
    }

    It 'stops promptly on Ctrl+C while waiting for a silent peer' {
        $peer = Start-SilentPeer
        try {
            # -Reply waits for the peer's answer (without it, the send ends after the half-close, as nsock send does).
            $run = Start-InRunspace { param($Port) Send-SocketData 127.0.0.1 $Port 'x' -Reply -Timeout 0 } -Arguments @{ Port = $peer.LocalEndpoint.Port }
            Start-Sleep -Milliseconds 300
            $run.Handle.IsCompleted | Should -BeFalse
            Stop-InRunspace $run | Should -BeLessThan 5
        }
        finally { $peer.Stop() }
    }
}
