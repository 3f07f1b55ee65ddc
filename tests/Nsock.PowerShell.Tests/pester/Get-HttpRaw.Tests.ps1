# Get-HttpRaw against canned responses served by a loopback listener: status, headers, body, raw bytes, chunks,
# timings, the request as sent, -OutFile, redirects, errors.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')

    function Start-HttpPeer {
        # One client gets $Response (CRLFs written as `r`n), byte for byte; what it sent is kept in .ReceivedText.
        param([Parameter(Mandatory)] [string] $Response)
        Start-Peer -InputObject $Response -Encoding latin1
    }

    $script:ok = "HTTP/1.1 200 OK`r`nContent-Type: text/plain`r`nContent-Length: 5`r`nX-Dup: 1`r`nX-Dup: 2`r`n`r`nhello"
}

AfterAll {
    Get-SocketListener | Stop-SocketListener
}

Describe 'Get-HttpRaw' {
    # A test that failed before its own finally leaves no runspace running into the next one.
    AfterEach { Stop-TestRunspaces }
    It 'returns status, headers, body, raw bytes and timings (named parameters)' {
        $peer = Start-HttpPeer $script:ok
        try {
            $r = Get-HttpRaw -Uri "http://127.0.0.1:$($peer.Port)/path?q=1"
            $r | Should -BeOfType ([Nsock.PowerShell.HttpRawResponse])
            $r.StatusCode | Should -Be 200
            $r.Reason | Should -Be 'OK'
            $r.Version | Should -Be '1.1'
            $r.Headers['content-type'] | Should -Be 'text/plain'
            $r.Headers['X-Dup'] | Should -Be @('1', '2')
            $r.RawHeaders | Should -HaveCount 4
            $r.Content | Should -Be 'hello'
            $r.Body | Should -Be ([byte[]][char[]]'hello')
            $r.Framing | Should -Be 'content-length'
            [System.Text.Encoding]::GetEncoding(28591).GetString($r.Raw) | Should -Be $script:ok
            $r.RawBytes | Should -Be $script:ok.Length
            $r.Timings.CompleteMs | Should -BeGreaterThan 0
            $r.RequestText | Should -BeLike "GET /path?q=1 HTTP/1.1`r`nHost: 127.0.0.1:$($peer.Port)`r`n*"
            $r.Tls | Should -BeNullOrEmpty
        }
        finally { $peer | Stop-SocketListener }
    }

    It 'takes the URL by position or from the pipeline' {
        $a = Start-HttpPeer $script:ok
        $b = Start-HttpPeer $script:ok
        try {
            (Get-HttpRaw "http://127.0.0.1:$($a.Port)/").StatusCode | Should -Be 200
            ([uri]"http://127.0.0.1:$($b.Port)/" | Get-HttpRaw).Content | Should -Be 'hello'
        }
        finally { $a, $b | Stop-SocketListener }
    }

    It 'lists the chunks of a chunked body and decodes it' {
        $peer = Start-HttpPeer "HTTP/1.1 200 OK`r`nTransfer-Encoding: chunked`r`n`r`n5`r`nhello`r`n6;ext=1`r`n world`r`n0`r`nX-Trailer: t`r`n`r`n"
        try {
            $r = Get-HttpRaw "http://127.0.0.1:$($peer.Port)/"
            $r.Framing | Should -Be 'chunked'
            $r.Content | Should -Be 'hello world'
            $r.Chunks | Should -HaveCount 3
            @($r.Chunks | ForEach-Object Size) | Should -Be @(5, 6, 0)
            $r.Chunks[1].Extensions | Should -Be 'ext=1'
            $r.Trailers[0].Name | Should -Be 'X-Trailer'
        }
        finally { $peer | Stop-SocketListener }
    }

    It 'reads a response with both Transfer-Encoding and Content-Length chunked, with a warning and .Warnings' {
        $peer = Start-HttpPeer "HTTP/1.1 200 OK`r`nContent-Length: 5`r`nTransfer-Encoding: chunked`r`n`r`n2`r`nok`r`n0`r`n`r`n"
        try {
            $r = Get-HttpRaw "http://127.0.0.1:$($peer.Port)/" -WarningVariable warned -WarningAction SilentlyContinue
            $r.Framing | Should -Be 'chunked'
            $r.Content | Should -Be 'ok'
            $r.Warnings | Should -HaveCount 1
            $r.Warnings[0] | Should -BeLike '*both Transfer-Encoding and Content-Length*'
            $warned | Should -HaveCount 1
            "$($warned[0])" | Should -Be $r.Warnings[0]
        }
        finally { $peer | Stop-SocketListener }
    }

    It 'sends -Method, -Headers and -Body as given' {
        $peer = Start-HttpPeer $script:ok
        try {
            $null = Get-HttpRaw "http://127.0.0.1:$($peer.Port)/submit" -Method POST -Headers ([ordered]@{ 'X-Test' = 'yes'; Accept = 'text/plain' }) -Body 'data'
            $peer.WaitForEnd([TimeSpan]::FromSeconds(10)) | Should -BeTrue
            $sent = $peer.ReceivedText
            $sent | Should -BeLike "POST /submit HTTP/1.1`r`n*"
            $sent | Should -BeLike "*`r`nX-Test: yes`r`n*"
            $sent | Should -BeLike "*`r`nAccept: text/plain`r`n*"
            $sent | Should -BeLike "*`r`nContent-Length: 4`r`n*"
            $sent | Should -BeLike "*`r`n`r`ndata"
        }
        finally { $peer | Stop-SocketListener }
    }

    It 'sends -InFile as the body' {
        $peer = Start-HttpPeer $script:ok
        $file = Join-Path $TestDrive 'body.txt'
        Set-Content -LiteralPath $file -Value 'from a file' -NoNewline
        try {
            $null = Get-HttpRaw "http://127.0.0.1:$($peer.Port)/" -Method PUT -InFile $file
            $peer.WaitForEnd([TimeSpan]::FromSeconds(10)) | Should -BeTrue
            $peer.ReceivedText | Should -BeLike "*`r`n`r`nfrom a file"
        }
        finally { $peer | Stop-SocketListener }
    }

    It 'sends a -RawRequest exactly, with bare LFs fixed by -FixLineEndings' {
        $peer = Start-HttpPeer $script:ok
        try {
            $r = Get-HttpRaw "http://127.0.0.1:$($peer.Port)/" -RawRequest "GET /raw HTTP/1.0`nX-A: b`n`n" -FixLineEndings
            $r.StatusCode | Should -Be 200
            $peer.WaitForEnd([TimeSpan]::FromSeconds(10)) | Should -BeTrue
            $peer.ReceivedText | Should -Be "GET /raw HTTP/1.0`r`nX-A: b`r`n`r`n"
        }
        finally { $peer | Stop-SocketListener }
    }

    It 'returns a 404 as a result, not an error' {
        $peer = Start-HttpPeer "HTTP/1.1 404 Not Found`r`nContent-Length: 0`r`n`r`n"
        try {
            $r = Get-HttpRaw "http://127.0.0.1:$($peer.Port)/missing" -ErrorAction Stop
            $r.StatusCode | Should -Be 404
            $r.Reason | Should -Be 'Not Found'
        }
        finally { $peer | Stop-SocketListener }
    }

    It 'writes the body to -OutFile (not with -WhatIf)' {
        $peer = Start-HttpPeer $script:ok
        $out = Join-Path $TestDrive 'body.bin'
        try {
            Get-HttpRaw "http://127.0.0.1:$($peer.Port)/" -OutFile $out -WhatIf | Should -BeNullOrEmpty
            Test-Path -LiteralPath $out | Should -BeFalse
            $r = Get-HttpRaw "http://127.0.0.1:$($peer.Port)/" -OutFile $out
            $r.OutFile | Should -Be $out
            $r.Body | Should -BeNullOrEmpty
            Get-Content -LiteralPath $out -Raw | Should -Be 'hello'
        }
        finally { $peer | Stop-SocketListener }
    }

    It 'shows a redirect''s Location, and follows it with -MaximumRedirection' {
        $target = Start-HttpPeer $script:ok
        $first = Start-HttpPeer "HTTP/1.1 302 Found`r`nLocation: http://127.0.0.1:$($target.Port)/next`r`nContent-Length: 0`r`n`r`n"
        $again = Start-HttpPeer "HTTP/1.1 302 Found`r`nLocation: http://127.0.0.1:$($target.Port)/next`r`nContent-Length: 0`r`n`r`n"
        try {
            $shown = Get-HttpRaw "http://127.0.0.1:$($first.Port)/"
            $shown.StatusCode | Should -Be 302
            $shown.Location | Should -Be "http://127.0.0.1:$($target.Port)/next"
            $followed = Get-HttpRaw "http://127.0.0.1:$($again.Port)/" -MaximumRedirection 1
            $followed.StatusCode | Should -Be 200
            $followed.Redirects | Should -HaveCount 1
            $followed.Url | Should -Be "http://127.0.0.1:$($target.Port)/next"
        }
        finally { $target, $first, $again | Stop-SocketListener }
    }
}

Describe 'Get-HttpRaw errors' {
    # A test that failed before its own finally leaves no runspace running into the next one.
    AfterEach { Stop-TestRunspaces }
    It 'reports a refused connection as a ConnectionError with the URL as target' {
        $port = Get-ClosedTcpPort
        $err = $null
        Get-HttpRaw "http://127.0.0.1:$port/" -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionRefused,*'
        "$($err[0].TargetObject)" | Should -Be "http://127.0.0.1:$port/"
    }

    It 'times out on a server that never answers' {
        $peer = Start-SilentPeer
        try {
            { Get-HttpRaw "http://127.0.0.1:$($peer.LocalEndpoint.Port)/" -Timeout 0.5 -ErrorAction Stop } | Should -Throw -ErrorId 'TimedOut,*'
        }
        finally { $peer.Stop() }
    }

    It 'rejects what is not an HTTP request' {
        { Get-HttpRaw 'ftp://127.0.0.1/x' -ErrorAction Stop } | Should -Throw -ErrorId 'BadInput,*'
        $file = Join-Path $TestDrive 'both.txt'
        Set-Content -LiteralPath $file -Value 'y'
        { Get-HttpRaw 'http://127.0.0.1:9/' -Body 'a' -InFile $file } | Should -Throw -ErrorId 'BadInput,*'
        { Get-HttpRaw 'http://127.0.0.1:9/' -Method 'BAD METHOD' -ErrorAction Stop } | Should -Throw -ErrorId 'BadInput,*'
        { Get-HttpRaw 'http://127.0.0.1:9/' -Headers @{ 'Bad Name' = 'x' } -ErrorAction Stop } | Should -Throw -ErrorId 'BadInput,*'
    }

    It 'makes a bad piped URL that record''s error, and still tries the next' {
        $peer = Start-HttpPeer $script:ok
        try {
            $err = $null
            $r = [uri]'ftp://127.0.0.1/x', [uri]"http://127.0.0.1:$($peer.Port)/" | Get-HttpRaw -ErrorAction SilentlyContinue -ErrorVariable err
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'BadInput,*'
            "$($err[0].TargetObject)" | Should -Be 'ftp://127.0.0.1/x'
            $r.StatusCode | Should -Be 200
        }
        finally { $peer | Stop-SocketListener }
    }

    It 'stops promptly on Ctrl+C' {
        $peer = Start-SilentPeer
        try {
            $run = Start-InRunspace { param($Port) Get-HttpRaw "http://127.0.0.1:$Port/" -Timeout 0 } -Arguments @{ Port = $peer.LocalEndpoint.Port }
            Start-Sleep -Milliseconds 300
            $run.Handle.IsCompleted | Should -BeFalse
            Stop-InRunspace $run | Should -BeLessThan 5
        }
        finally { $peer.Stop() }
    }
}

Describe 'Get-HttpRaw against independent servers' {
    AfterEach { Stop-TestRunspaces }

    BeforeAll {
        $script:www = Join-Path $TestDrive 'www'
        $null = New-Item -ItemType Directory -Path $script:www
        Set-Content -LiteralPath (Join-Path $script:www 'hello.txt') -Value 'hello from python' -NoNewline
        $script:certDir = Join-Path $TestDrive 'tls'
        $null = New-Item -ItemType Directory -Path $script:certDir
        $script:cert = Join-Path $script:certDir 'cert.pem'
        $script:key = Join-Path $script:certDir 'key.pem'
        & openssl req -x509 -newkey rsa:2048 -nodes -keyout $script:key -out $script:cert -days 1 -subj '/CN=localhost' 2>$null
        if ($LASTEXITCODE -ne 0) { throw 'openssl could not make a test certificate' }
    }

    It 'gets a file from python3 -m http.server' {
        $py = Start-ProcessPeer python3 @('-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', $script:www)
        try {
            $r = Get-HttpRaw "http://127.0.0.1:$($py.Port)/hello.txt"
            $r.StatusCode | Should -Be 200
            $r.Content | Should -Be 'hello from python'
        }
        finally { $py | Stop-ProcessPeer }
    }

    It 'talks TLS to openssl s_server: verified fails as SecurityError, -SkipCertificateCheck gets the page' {
        $ossl = Start-ProcessPeer openssl @('s_server', '-accept', '127.0.0.1:0', '-www', '-cert', $script:cert, '-key', $script:key)
        try {
            $err = $null
            try { Get-HttpRaw "https://127.0.0.1:$($ossl.Port)/" -ErrorAction Stop } catch { $err = $_ }
            "$($err.CategoryInfo.Category)" | Should -Be 'SecurityError'
            # The message names this cmdlet's parameter, not the command's --insecure.
            "$err" | Should -Match '-SkipCertificateCheck to skip verification'
            $r = Get-HttpRaw "https://127.0.0.1:$($ossl.Port)/" -SkipCertificateCheck
            $r.StatusCode | Should -Be 200
            $r.Tls | Should -Not -BeNullOrEmpty
        }
        finally { $ossl | Stop-ProcessPeer }
    }

    It 'gives responses that survive Export-Clixml, and a table view that fits 80 columns' {
        $py = Start-ProcessPeer python3 @('-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', $script:www)
        try {
            $r = Get-HttpRaw "http://127.0.0.1:$($py.Port)/hello.txt"
            $file = Join-Path $TestDrive 'http.clixml'
            $r | Export-Clixml -LiteralPath $file
            $back = Import-Clixml -LiteralPath $file
            $back.StatusCode | Should -Be 200
            $back.Content | Should -Be 'hello from python'
            $text = $r | Format-Table | Out-String -Width 80
            Test-LinesFit $text 80 | Should -BeTrue
            $text | Should -Match 'Status'
            $text | Should -Match 'Url'
        }
        finally { $py | Stop-ProcessPeer }
    }

    It 'shows the reason phrase of a server escaped in its table view (no terminal escapes, no bidi override)' {
        $rlo = [Text.Encoding]::Latin1.GetString([Text.Encoding]::UTF8.GetBytes([string][char]0x202E))
        $peer = Start-HttpPeer "HTTP/1.1 200 O`e[2J$rlo`r`nContent-Length: 0`r`n`r`n"
        try {
            $r = Get-HttpRaw "http://127.0.0.1:$($peer.Port)/"
            $text = $r | Format-Table | Out-String -Width 120
            $text | Should -Match ([regex]::Escape('O\x1b[2J\u2')) # the column is 12 wide: \u202e is cut there
            $text | Should -Not -Match "`e"
            $text | Should -Not -Match ([string][char]0x202E)
            [Nsock.Core.NsockText]::PrintableWire($r.Reason) | Should -Be 'O\x1b[2J\u202e'
        }
        finally { $peer | Stop-SocketListener }
    }

    It 'ends an exchange that outlasts -MaximumTime with an OperationTimeout error naming it' {
        $peer = Start-Peer
        try {
            $err = $null
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $r = Get-HttpRaw "http://127.0.0.1:$($peer.Port)/" -Timeout 5 -MaximumTime 1 -ErrorAction SilentlyContinue -ErrorVariable err
            $r | Should -BeNullOrEmpty
            $err | Should -HaveCount 1
            "$($err[0].CategoryInfo.Category)" | Should -Be 'OperationTimeout'
            $err[0].Exception.Message | Should -BeLike '*-MaximumTime 1s*'
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 4
        }
        finally { $peer | Stop-SocketListener }
    }

    It 'completes -Method on Tab' {
        $line = 'Get-HttpRaw -Method P'
        $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $names | Should -Be @('POST', 'PUT', 'PATCH')
    }
}
