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

Describe 'Send-SocketData as scripts use it' {
    AfterEach { Stop-TestRunspaces }

    It 'takes host and port by position together with -LiteralPath or -Path' {
        $file = Join-Path $TestDrive 'positional.txt'
        Set-Content -LiteralPath $file -Value 'by position' -NoNewline
        (Send-SocketData 127.0.0.1 $script:echo.Port -LiteralPath $file -Reply).ReplyText | Should -Be 'by position'
        (Send-SocketData 127.0.0.1 $script:echo.Port -Path (Join-Path $TestDrive 'positional.*') -Reply).ReplyText | Should -Be 'by position'
    }

    It 'sends one connection per Import-Csv row, taking ComputerName/Port (or RemoteAddress/RemotePort, Endpoint) and Data by property name' {
        $csv = Join-Path $TestDrive 'targets.csv'
        @(
            [pscustomobject]@{ ComputerName = '127.0.0.1'; Port = $script:echo.Port; Data = 'row one' }
            [pscustomobject]@{ ComputerName = '127.0.0.1'; Port = $script:echo.Port; Data = 'row two' }
        ) | Export-Csv -LiteralPath $csv -NoTypeInformation
        $r = @(Import-Csv -LiteralPath $csv | Send-SocketData -Reply)
        $r | Should -HaveCount 2
        $r.ReplyText | Should -Be @('row one', 'row two')

        $r = @([pscustomobject]@{ RemoteAddress = '127.0.0.1'; RemotePort = $script:echo.Port; Data = 'aliases' } | Send-SocketData -Reply)
        $r.ReplyText | Should -Be 'aliases'
        $r = @([pscustomobject]@{ Endpoint = "tcp://127.0.0.1:$($script:echo.Port)"; Data = 'endpoint row' } | Send-SocketData -Reply)
        $r.ReplyText | Should -Be 'endpoint row'
    }

    It 'reports a bad row as that row''s error and still sends the rows after it' {
        $rows = @(
            [pscustomobject]@{ ComputerName = '127.0.0.1'; Port = (Get-ClosedTcpPort); Data = 'refused' }
            [pscustomobject]@{ ComputerName = '127.0.0.1'; Port = $script:echo.Port; Data = 'after' }
        )
        $err = $null
        $r = @($rows | Send-SocketData -Reply -ErrorAction SilentlyContinue -ErrorVariable err)
        $r.ReplyText | Should -Be 'after'
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionRefused,*'
    }

    It 'ends the pipeline with -ErrorAction Stop on a refused port' {
        $caught = $null
        try { 'x' | Send-SocketData 127.0.0.1 (Get-ClosedTcpPort) -ErrorAction Stop; $reached = $true } catch { $caught = $_ }
        $reached | Should -BeNullOrEmpty
        "$($caught.CategoryInfo.Category)" | Should -Be 'ConnectionError'
    }

    It 'talks to independent peers: a python3 echo server and the nsock command' {
        $py = Start-PythonEcho -Upper
        $cmd = Start-NsockEcho
        try {
            ('abc', 'def' | Send-SocketData 127.0.0.1 $py.Port -Reply).ReplyText | Should -Be 'ABCDEF'
            (Send-SocketData 127.0.0.1 $cmd.Port 'through nsock' -Reply).ReplyText | Should -Be 'through nsock'
        }
        finally { $py, $cmd | Stop-ProcessPeer }
    }

    It 'works from ForEach-Object -Parallel runspaces' {
        $port = $script:echo.Port
        $module = $script:ModulePath
        $r = @(1..12 | ForEach-Object -ThrottleLimit 6 -Parallel {
                Import-Module $using:module
                Send-SocketData 127.0.0.1 $using:port "n$_" -Reply
            })
        @($r.ReplyText | Sort-Object) | Should -Be @(1..12 | ForEach-Object { "n$_" } | Sort-Object)
    }

    It 'gives results that survive Export-Clixml and Import-Clixml (what remoting does to them)' {
        $r = Send-SocketData 127.0.0.1 $script:echo.Port 'kept' -Reply
        $file = Join-Path $TestDrive 'send.clixml'
        $r | Export-Clixml -LiteralPath $file
        $back = Import-Clixml -LiteralPath $file
        $back.ReplyText | Should -Be 'kept'
        $back.BytesSent | Should -Be 4
        $back.PeerClosed | Should -BeTrue
    }

    It 'fits its table view in 80 columns' {
        $r = Send-SocketData 127.0.0.1 $script:echo.Port ('y' * 200) -Reply
        $text = $r | Format-Table | Out-String -Width 80
        Test-LinesFit $text 80 | Should -BeTrue
        $text | Should -Match 'Remote'
        $text | Should -Match 'ReplyText'
    }

    It 'completes -Encoding names on Tab' {
        $line = 'Send-SocketData -Encoding u'
        $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $names | Should -Contain 'utf8'
        $names | Should -Contain 'unicode'
    }
}
