# Get-SocketListener and Stop-SocketListener: lookup by id, name and pipeline; -PassThru; -WhatIf; errors.

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

    function Get-Completion {
        param([Parameter(Mandatory)] [string] $Line)
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches)
    }
}

AfterAll {
    Get-SocketListener | Remove-Job -Force
}

Describe 'Get-SocketListener' {
    # A test that failed before its own finally leaves no runspace running into the next one.
    AfterEach { Stop-TestRunspaces }
    BeforeAll {
        $script:alpha = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -Background -Name 'pester-alpha'
        $script:beta = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -Background -Name 'pester-beta'
    }
    AfterAll {
        $script:alpha, $script:beta | Stop-SocketListener
    }

    It 'lists every background listener' {
        $ids = @(Get-SocketListener | ForEach-Object Id)
        $ids | Should -Contain $script:alpha.Id
        $ids | Should -Contain $script:beta.Id
    }

    It 'finds one by -Id, and by -Name by position with wildcards' {
        (Get-SocketListener -Id $script:beta.Id).Name | Should -Be 'pester-beta'
        (Get-SocketListener 'pester-al*').Id | Should -Be $script:alpha.Id
        @(Get-SocketListener -Name 'pester-*').Count | Should -Be 2
    }

    It 'takes ids from the pipeline by property name' {
        ([pscustomobject]@{ Id = $script:alpha.Id } | Get-SocketListener).Name | Should -Be 'pester-alpha'
    }

    It 'reports an id or a name that matches nothing as ObjectNotFound' {
        $err = $null
        Get-SocketListener -Id 987654 -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        "$($err[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ListenerNotFound,*'
        { Get-SocketListener -Name 'no-such-listener' -ErrorAction Stop } | Should -Throw -ErrorId 'ListenerNotFound,*'
        Get-SocketListener -Name 'no-such-*' | Should -BeNullOrEmpty
    }
}

Describe 'Stop-SocketListener' {
    # A test that failed before its own finally leaves no runspace running into the next one.
    AfterEach { Stop-TestRunspaces }
    # Changed on purpose: Stop-SocketListener used to forget the listener too. Listeners are jobs now, and as with
    # Stop-Job a stopped one stays listed (State Stopped, final counters, unread events) until Remove-Job.
    It 'stops listeners from the pipeline and closes their sockets; they stay listed, Stopped, until Remove-Job' {
        $l = Start-Echo
        $l | Stop-SocketListener
        "$($l.State)" | Should -Be 'Stopped'
        { Send-SocketData 127.0.0.1 $l.Port 'x' -Timeout 2 -ErrorAction Stop } | Should -Throw -ErrorId 'ConnectionRefused,*'
        "$((Get-SocketListener | Where-Object Id -eq $l.Id).State)" | Should -Be 'Stopped'
        $l | Remove-Job
        Get-SocketListener | Where-Object Id -eq $l.Id | Should -BeNullOrEmpty
    }

    It 'stops a listener twice, or one that ended by itself, without an error' {
        $l = Start-Echo
        $l | Stop-SocketListener -ErrorAction Stop
        { $l | Stop-SocketListener -ErrorAction Stop } | Should -Not -Throw
        { Stop-SocketListener -Id $l.Id -ErrorAction Stop } | Should -Not -Throw
        "$($l.State)" | Should -Be 'Stopped'
        $done = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -Count 1 -Background
        $null = Send-SocketData 127.0.0.1 $done.Port 'x' -Reply
        $null = Wait-Job $done -Timeout 10
        { $done | Stop-SocketListener -ErrorAction Stop } | Should -Not -Throw
        "$($done.State)" | Should -Be 'Completed'
        $l, $done | Remove-Job
    }

    It 'binds piped objects by their Id property (listeners, or any object with an Id)' {
        (Get-Command Stop-SocketListener).Parameters.Keys | Should -Not -Contain 'InputObject'
        (Get-Command Stop-SocketListener).Parameters['Id'].ParameterSets.Values.ValueFromPipelineByPropertyName | Should -Contain $true
        $a = Start-Echo
        $b = Start-Echo
        $a | Stop-SocketListener
        [pscustomobject]@{ Id = $b.Id } | Stop-SocketListener
        "$($a.State)", "$($b.State)" | Should -Be 'Stopped', 'Stopped'
        $a, $b | Remove-Job
    }

    It 'stops by -Id (by position) and by -Name, and -PassThru writes the final state' {
        $a = Start-Echo
        $b = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -Background -Name 'pester-stop-me'
        $null = Send-SocketData 127.0.0.1 $a.Port 'abc' -Reply
        $stopped = Stop-SocketListener $a.Id -PassThru
        "$($stopped.State)" | Should -Be 'Stopped'
        Wait-Until { $stopped.BytesReceived -eq 3 } | Should -BeTrue
        Stop-SocketListener -Name 'pester-stop-*'
        "$($b.State)" | Should -Be 'Stopped'
    }

    It 'leaves the listener running with -WhatIf' {
        $l = Start-Echo
        try {
            $l | Stop-SocketListener -WhatIf
            "$($l.State)" | Should -Be 'Running'
            (Send-SocketData 127.0.0.1 $l.Port 'still here' -Reply).ReplyText | Should -Be 'still here'
        }
        finally { $l | Stop-SocketListener }
    }

    It 'reports an unknown id as ObjectNotFound' {
        { Stop-SocketListener -Id 987654 -ErrorAction Stop } | Should -Throw -ErrorId 'ListenerNotFound,*'
    }
}

Describe 'Listeners belong to the session that started them' {
    AfterEach { Stop-TestRunspaces }
    It 'are neither listed nor stopped from another runspace' {
        $l = Start-Echo
        try {
            $run = Start-InRunspace {
                param($Id)
                [pscustomobject]@{ Ids = @(Get-SocketListener | ForEach-Object Id); Jobs = @(Get-Job | ForEach-Object Id) }
                Stop-SocketListener -Id $Id -ErrorAction SilentlyContinue -ErrorVariable err
                [pscustomobject]@{ Error = "$($err[0].FullyQualifiedErrorId)" }
            } -Arguments @{ Id = $l.Id }
            $out = Wait-InRunspace $run
            $out[0].Ids | Should -Not -Contain $l.Id
            $out[0].Jobs | Should -Not -Contain $l.Id
            $out[1].Error | Should -BeLike 'ListenerNotFound,*'
            "$($l.State)" | Should -Be 'Running'
            (Send-SocketData 127.0.0.1 $l.Port 'still mine' -Reply).ReplyText | Should -Be 'still mine'
        }
        finally { Close-InRunspace $run; $l | Remove-Job -Force }
    }

    It 'are stopped when their runspace closes' {
        $run = Start-InRunspace { (New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -Background).Port }
        $port = (Wait-InRunspace $run)[0]
        (Send-SocketData 127.0.0.1 $port 'open' -Reply).ReplyText | Should -Be 'open'
        Close-InRunspace $run
        Test-PortClosed $port | Should -BeTrue
    }

    It 'are stopped when their session removes the module (the port closes); other sessions keep theirs' {
        $mine = Start-Echo
        try {
            $run = Start-InRunspace {
                $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -Background
                $port = $l.Port
                Remove-Module nsock
                [pscustomobject]@{ Port = $port; State = "$($l.State)" }
            }
            $out = (Wait-InRunspace $run)[0]
            $out.State | Should -Be 'Stopped'
            Test-PortClosed $out.Port | Should -BeTrue
            "$($mine.State)" | Should -Be 'Running'
            (Send-SocketData 127.0.0.1 $mine.Port 'kept' -Reply).ReplyText | Should -Be 'kept'
        }
        finally { Close-InRunspace $run; $mine | Remove-Job -Force }
    }
}

Describe 'Get-SocketListener and Stop-SocketListener in the shell' {
    AfterEach { Stop-TestRunspaces }
    BeforeAll {
        $script:gamma = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -Background -Name 'pester-gamma'
        $script:delta = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Udp -Echo -Background -Name 'pester-delta'
    }
    AfterAll {
        $script:gamma, $script:delta | Remove-Job -Force
    }

    It 'completes -Name with this session''s listener names' {
        (Get-Completion 'Get-SocketListener -Name pester-g').CompletionText | Should -Be 'pester-gamma'
        (Get-Completion 'Get-SocketListener pester-d').CompletionText | Should -Be 'pester-delta'
        $names = (Get-Completion 'Stop-SocketListener -Name pester-').CompletionText
        $names | Should -Contain 'pester-gamma'
        $names | Should -Contain 'pester-delta'
    }

    It 'completes -Id with this session''s listener ids, naming each' {
        $all = Get-Completion 'Stop-SocketListener -Id '
        $all.CompletionText | Should -Contain "$($script:gamma.Id)"
        ($all | Where-Object CompletionText -eq "$($script:delta.Id)").ListItemText | Should -Be "$($script:delta.Id) pester-delta"
        (Get-Completion "Get-SocketListener -Id $($script:gamma.Id)").CompletionText | Should -Contain "$($script:gamma.Id)"
    }

    It 'lists listeners in 80 columns with the id, name, state, mode, clients and endpoint visible' {
        $text = Get-SocketListener -Name 'pester-gamma', 'pester-delta' | Out-String -Width 80
        Test-LinesFit $text 80 | Should -BeTrue
        $text | Should -Match 'Id +Name +State +Mode +Clients +Received +Endpoint'
        $text | Should -Match ("$($script:gamma.Id) +pester-gamma +Running +Echo +0 +0 B +" + [regex]::Escape($script:gamma.Endpoint))
        $text | Should -Match ([regex]::Escape($script:delta.Endpoint))
        $wide = Get-SocketListener -Name 'pester-gamma' | Out-String -Width 120
        Test-LinesFit $wide 120 | Should -BeTrue
        $wide | Should -Match ([regex]::Escape($script:gamma.Endpoint))
    }

    It 'gives listeners that survive Export-Clixml and Import-Clixml' {
        $file = Join-Path $TestDrive 'listeners.xml'
        Get-SocketListener -Name 'pester-gamma', 'pester-delta' | Export-Clixml -LiteralPath $file
        $back = @(Import-Clixml -LiteralPath $file)
        $back.Name | Should -Be 'pester-gamma', 'pester-delta'
        $back.Port | Should -Be $script:gamma.Port, $script:delta.Port
        $back[1].Transport | Should -Be 'udp'
        $back.State | Should -Be 'Running', 'Running'
        $back | Out-String -Width 80 | Should -Match ([regex]::Escape($script:gamma.Endpoint))
    }
}

Describe 'Get-SocketListener live counters' {
    # A test that failed before its own finally leaves no runspace running into the next one.
    AfterEach { Stop-TestRunspaces }

    It 'shows a UDP echo listener''s datagrams and bytes both ways while it runs, before it stops' {
        $l = Start-Echo -Udp
        try {
            foreach ($text in 'one', 'three', 'seventeen') {
                (Send-SocketData 127.0.0.1 $l.Port $text -Udp -Reply).ReplyText | Should -Be $text
            }
            # Read through Get-SocketListener, as a person would; the listener is still running.
            $live = Get-SocketListener -Id $l.Id
            "$($live.State)" | Should -Be 'Running'
            $live.Datagrams | Should -Be 3
            $live.BytesReceived | Should -Be 17
            # Sent is counted just after each answer goes out, so the last may still be on its way into the count.
            Wait-Until { (Get-SocketListener -Id $l.Id).BytesSent -eq 17 } | Should -BeTrue
            $stats = $live.GetStatistics()
            $stats.Datagrams | Should -Be 3
            $stats.Final | Should -BeFalse
        }
        finally { $l | Stop-SocketListener }
        $l.Datagrams | Should -Be 3
    }

    It 'shows clients connected now and in all while a TCP echo listener serves them' {
        $l = Start-Echo
        $held = [System.Net.Sockets.TcpClient]::new()
        try {
            $held.Connect('127.0.0.1', $l.Port)
            (Send-SocketData 127.0.0.1 $l.Port 'hello' -Reply).ReplyText | Should -Be 'hello'
            Wait-Until { (Get-SocketListener -Id $l.Id).BytesReceived -eq 5 } | Should -BeTrue
            $live = Get-SocketListener -Id $l.Id
            $live.Clients | Should -Be 2
            $live.ClientsNow | Should -Be 1
            $live.BytesSent | Should -Be 5
            $live.Errors | Should -Be 0
        }
        finally { $held.Dispose(); $l | Stop-SocketListener }
    }
}
