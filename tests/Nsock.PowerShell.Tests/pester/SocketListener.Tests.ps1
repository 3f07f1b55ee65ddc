# Get-SocketListener and Stop-SocketListener: lookup by id, name and pipeline; -PassThru; -WhatIf; errors.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

AfterAll {
    Get-SocketListener | Stop-SocketListener
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
    It 'stops listeners from the pipeline, closes their sockets and forgets them' {
        $l = Start-Echo
        $l | Stop-SocketListener
        "$($l.State)" | Should -Be 'Stopped'
        Get-SocketListener | Where-Object Id -eq $l.Id | Should -BeNullOrEmpty
        { Send-SocketData 127.0.0.1 $l.Port 'x' -Timeout 2 -ErrorAction Stop } | Should -Throw -ErrorId 'ConnectionRefused,*'
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
