# -Proxy and -ProxyCredential on the connecting cmdlets, through tests/Assets/test_proxy.py (a SOCKS5 or HTTP CONNECT
# proxy in plain Python on loopback port 0) to loopback peers: the module's own listeners, python3 peers, http.server.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:ProxyScript = [System.IO.Path]::Combine($script:RepoRoot, 'tests', 'Assets', 'test_proxy.py')
    function Start-TestProxy {
        param([string] $Kind = 'socks5', [string[]] $Options = @())
        $p = Start-ProcessPeer python3 (@('-u', $script:ProxyScript, '--kind', $Kind) + $Options)
        $p | Add-Member -NotePropertyName Url -NotePropertyValue "$($Kind)://127.0.0.1:$($p.Port)" -PassThru
    }
    $script:echo = Start-Echo
}

AfterAll {
    Get-SocketListener | Stop-SocketListener
}

Describe 'Send-SocketData and Receive-SocketData -Proxy' {
    AfterEach { Stop-TestRunspaces }

    # Names are made at discovery (not Pester <templates>): the xunit wrapper matches results by name.
    foreach ($Kind in 'socks5', 'http') {
        It "sends and gets the reply through a $Kind proxy, the remote being the target" -ForEach @(@{ Kind = $Kind }) {
            $proxy = Start-TestProxy $Kind
            try {
                $r = Send-SocketData 127.0.0.1 $script:echo.Port 'through the tunnel' -Reply -Proxy $proxy.Url
                $r.ReplyText | Should -Be 'through the tunnel'
                $r.PeerClosed | Should -BeTrue
                $r.Remote | Should -Be "127.0.0.1:$($script:echo.Port)"
            }
            finally { $proxy | Stop-ProcessPeer }
        }
    }

    It 'receives what a python peer sends through an HTTP CONNECT proxy' {
        $proxy = Start-TestProxy http
        $peer = Start-PythonSender -Text 'from python'
        try {
            (Receive-SocketData localhost $peer.Port -Proxy $proxy.Url).Text | Should -Be 'from python'
        }
        finally { $peer, $proxy | Stop-ProcessPeer }
    }

    # Names are made at discovery (not Pester <templates>): the xunit wrapper matches results by name.
    foreach ($Kind in 'socks5', 'http') {
        It "authenticates with -ProxyCredential to a $Kind proxy" -ForEach @(@{ Kind = $Kind }) {
            $proxy = Start-TestProxy $Kind @('--user', 'alice', '--password', 'p@ss:word')
            try {
                $cred = [pscredential]::new('alice', (ConvertTo-SecureString 'p@ss:word' -AsPlainText -Force))
                (Send-SocketData 127.0.0.1 $script:echo.Port 'ok' -Reply -Proxy $proxy.Url -ProxyCredential $cred).ReplyText | Should -Be 'ok'
            }
            finally { $proxy | Stop-ProcessPeer }
        }
    }

    It 'fails naming the proxy, never the password, when the credential is wrong' {
        $proxy = Start-TestProxy socks5 @('--user', 'alice', '--password', 'right')
        try {
            $cred = [pscredential]::new('alice', (ConvertTo-SecureString 'Wr0ngPassword' -AsPlainText -Force))
            $err = $null
            try { Send-SocketData 127.0.0.1 $script:echo.Port 'x' -Proxy $proxy.Url -ProxyCredential $cred -ErrorAction Stop } catch { $err = $_ }
            "$err" | Should -Match 'refused the user name and password'
            "$err" | Should -Match 'alice:\*\*\*@127\.0\.0\.1'
            "$err" | Should -Not -Match 'Wr0ngPassword'
        }
        finally { $proxy | Stop-ProcessPeer }
    }

    It 'refuses user info in -Proxy together with -ProxyCredential' {
        $cred = [pscredential]::new('bob', (ConvertTo-SecureString 'pw' -AsPlainText -Force))
        $err = $null
        try { Send-SocketData 127.0.0.1 $script:echo.Port 'x' -Proxy 'socks5://a:b@127.0.0.1:1080' -ProxyCredential $cred -ErrorAction Stop } catch { $err = $_ }
        "$($err.CategoryInfo.Category)" | Should -Be 'InvalidArgument'
        "$err" | Should -Match 'in -Proxy or in -ProxyCredential, not both'
    }

    It 'is a ConnectionError naming the proxy when the proxy is down' {
        $closed = Get-ClosedTcpPort
        $err = $null
        try { Send-SocketData 127.0.0.1 $script:echo.Port 'x' -Proxy "socks5://127.0.0.1:$closed" -ErrorAction Stop } catch { $err = $_ }
        "$($err.CategoryInfo.Category)" | Should -Be 'ConnectionError'
        "$err" | Should -Match "^proxy socks5://127\.0\.0\.1:$($closed): .*connection refused"
    }

    It 'refuses a UDP target with -Proxy as InvalidArgument' {
        $err = $null
        try { Send-SocketData 127.0.0.1 9 'x' -Udp -Proxy 'socks5://127.0.0.1:1080' -ErrorAction Stop } catch { $err = $_ }
        "$($err.CategoryInfo.Category)" | Should -Be 'InvalidArgument'
        "$err" | Should -Match '-Proxy carries TCP only'
    }
}

Describe 'Get-HttpRaw, Test-SocketPort, Invoke-UdpPing and Send-File -Proxy' {
    AfterEach { Stop-TestRunspaces }

    # Names are made at discovery (not Pester <templates>): the xunit wrapper matches results by name.
    foreach ($Kind in 'socks5', 'http') {
        It "gets a page from python http.server through a $Kind proxy" -ForEach @(@{ Kind = $Kind }) {
            $dir = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
            $null = New-Item -ItemType Directory -Path $dir
            Set-Content -LiteralPath (Join-Path $dir 'page.txt') -Value 'proxied page' -NoNewline
            $server = Start-ProcessPeer python3 @('-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', $dir)
            $proxy = Start-TestProxy $Kind
            try {
                $r = Get-HttpRaw "http://localhost:$($server.Port)/page.txt" -Proxy $proxy.Url
                $r.StatusCode | Should -Be 200
                $r.Content | Should -Be 'proxied page'
            $r.Via | Should -Be $proxy.Url
            $r.Remote | Should -Be "localhost:$($server.Port)"
            }
            finally { $proxy, $server | Stop-ProcessPeer }
        }
    }

    It 'probes open and closed ports through the proxy by its answer' {
        $proxy = Start-TestProxy socks5
        $closed = Get-ClosedTcpPort
        try {
            $r = @(Test-SocketPort localhost $script:echo.Port, $closed -Proxy $proxy.Url)
            $r.Count | Should -Be 2
            "$($r[0].State)" | Should -Be 'Open'
            "$($r[1].State)" | Should -Be 'Closed'
        }
        finally { $proxy | Stop-ProcessPeer }
    }

    It 'times TCP connects through the proxy with Invoke-UdpPing -Tcp' {
        $proxy = Start-TestProxy http
        try {
            $summary = Invoke-UdpPing -Endpoint "localhost:$($script:echo.Port)" -Tcp -Count 2 -Interval 0 -Proxy $proxy.Url | Select-Object -Last 1
            $summary.Received | Should -Be 2
        }
        finally { $proxy | Stop-ProcessPeer }
    }

    It 'sends a verified file through the proxy to a -ReceiveFiles listener' {
        $dir = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $dir
        $file = Join-Path $TestDrive 'proxied.bin'
        [System.IO.File]::WriteAllBytes($file, [byte[]](1..255))
        $rx = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -ReceiveFiles $dir -Background
        $proxy = Start-TestProxy socks5
        try {
            $r = Send-File 127.0.0.1 $rx.Port $file -Proxy $proxy.Url
            $r.Verified | Should -BeTrue
            [System.IO.File]::ReadAllBytes((Join-Path $dir 'proxied.bin')) | Should -Be ([byte[]](1..255))
        }
        finally { $proxy | Stop-ProcessPeer; $rx | Stop-SocketListener }
    }
}

Describe 'TLS through a proxy' {
    AfterEach { Stop-TestRunspaces }

    # Names are made at discovery (not Pester <templates>): the xunit wrapper matches results by name.
    foreach ($Kind in 'socks5', 'http') {
        It "speaks TLS with openssl s_server inside a $Kind tunnel, the certificate checked against the server" -ForEach @(@{ Kind = $Kind }) {
            $dir = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
            $null = New-Item -ItemType Directory -Path $dir
            $cert = Join-Path $dir 'c.pem'
            $key = Join-Path $dir 'k.pem'
            & openssl req -x509 -newkey rsa:2048 -nodes -keyout $key -out $cert -days 1 -subj '/CN=localhost' -addext 'subjectAltName=DNS:localhost' 2>$null
            $LASTEXITCODE | Should -Be 0
            $ossl = Start-ProcessPeer openssl @('s_server', '-accept', '127.0.0.1:0', '-naccept', '1', '-rev', '-cert', $cert, '-key', $key)
            $proxy = Start-TestProxy $Kind
            try {
                $r = Send-SocketData localhost $ossl.Port "hello`n" -UseTls -CertificateAuthorityPath $cert -Reply -Proxy $proxy.Url
                $r.ReplyText | Should -Be "olleh`n"
                $r.Tls.Verified | Should -BeTrue
                $r.Tls.Subject | Should -Be 'CN=localhost'
            }
            finally { $proxy, $ossl | Stop-ProcessPeer }
        }
    }
}
