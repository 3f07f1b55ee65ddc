# TLS and New-SocketListener -ForwardTo: -UseTls in front of a plain target (a TLS terminator) with each client's tls
# event, a tls://host:port target (openssl s_server -rev, with a CA and a leaf for localhost openssl makes here)
# verified with -CertificateAuthorityPath or -Pin, a target that does not verify, and parameters that do not fit.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:tlsDir = Join-Path $TestDrive 'tlsfwd'
    $null = New-Item -ItemType Directory -Path $script:tlsDir
    $script:ca = Join-Path $script:tlsDir 'ca.pem'
    $caKey = Join-Path $script:tlsDir 'ca.key'
    $script:leaf = Join-Path $script:tlsDir 'leaf.pem'
    $script:leafKey = Join-Path $script:tlsDir 'leaf.key'
    $csr = Join-Path $script:tlsDir 'leaf.csr'
    $ext = Join-Path $script:tlsDir 'ext.cnf'
    & openssl req -x509 -newkey rsa:2048 -nodes -keyout $caKey -out $script:ca -days 2 -subj '/CN=nsock pester forward CA' -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign' 2>$null
    & openssl req -newkey rsa:2048 -nodes -keyout $script:leafKey -out $csr -subj '/CN=localhost' 2>$null
    Set-Content -LiteralPath $ext -Value "subjectAltName=DNS:localhost,IP:127.0.0.1`nbasicConstraints=CA:FALSE`nextendedKeyUsage=serverAuth"
    & openssl x509 -req -in $csr -CA $script:ca -CAkey $caKey -CAcreateserial -out $script:leaf -days 1 -extfile $ext 2>$null
    if ($LASTEXITCODE -ne 0) { throw 'openssl could not make the test certificates' }

    function Start-TlsReverser {
        Start-ProcessPeer openssl @('s_server', '-accept', '127.0.0.1:0', '-rev', '-cert', $script:leaf, '-key', $script:leafKey)
    }
}

Describe 'New-SocketListener -ForwardTo with TLS' {
    AfterEach { Stop-TestRunspaces }

    It 'terminates TLS in front of a plain target with -UseTls, and writes each client''s tls event with what it negotiated' {
        $svc = Start-Echo
        $fwd = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -ForwardTo "127.0.0.1:$($svc.Port)" -UseTls -CertificatePath $script:leaf -KeyPath $script:leafKey -Background
        try {
            $r = Send-SocketData localhost $fwd.Port "through TLS`n" -UseTls -CertificateAuthorityPath $script:ca -Reply
            $r.ReplyText | Should -Be "through TLS`n"
            $r.Tls.Verified | Should -BeTrue
            Wait-Until { @($fwd.GetEvents() | Where-Object Event -eq 'closed').Count -eq 1 } | Should -BeTrue
            $tls = @($fwd.GetEvents() | Where-Object Event -eq 'tls')
            $tls.Count | Should -Be 1
            $tls[0].Client | Should -Be 1
            $tls[0].Tls.ServerName | Should -Be 'localhost'
            $tls[0].Tls.Protocol | Should -BeLike 'Tls*'
            $tls[0].Tls.Subject | Should -Be ''
            $tls[0].Detail | Should -BeLike "*for 'localhost'*"
            (@($fwd.GetEvents() | Where-Object Event -eq 'forwarded'))[0].Tls | Should -BeNullOrEmpty
        }
        finally { $fwd, $svc | Stop-SocketListener }
    }

    It 'speaks TLS to a tls:// target verified by -CertificateAuthorityPath, half-close included, with the target''s TLS on the forwarded event' {
        $ossl = Start-TlsReverser
        $fwd = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -ForwardTo "tls://localhost:$($ossl.Port)" -CertificateAuthorityPath $script:ca -Background
        try {
            (Send-SocketData 127.0.0.1 $fwd.Port "hello`nworld`n" -Reply).ReplyText | Should -Be "olleh`ndlrow`n"
            Wait-Until { @($fwd.GetEvents() | Where-Object Event -eq 'closed').Count -eq 1 } | Should -BeTrue
            $forwarded = @($fwd.GetEvents() | Where-Object Event -eq 'forwarded')[0]
            $forwarded.Tls.Verified | Should -BeTrue
            $forwarded.Tls.Subject | Should -Be 'CN=localhost'
            $forwarded.Tls.Issuer | Should -Be 'CN=nsock pester forward CA'
            $forwarded.Detail | Should -BeLike "forwarded to *:$($ossl.Port) over Tls*"
            $closed = @($fwd.GetEvents() | Where-Object Event -eq 'closed')[0]
            $closed.Detail | Should -BeNullOrEmpty
            $closed.Bytes | Should -Be 12
            $closed.BytesSent | Should -Be 12
        }
        finally {
            $fwd | Stop-SocketListener
            $ossl | Stop-ProcessPeer
        }
    }

    It 'resets the client of a target that does not verify, says why in the closed event, and goes on' {
        $ossl = Start-TlsReverser
        $fwd = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -ForwardTo "tls://localhost:$($ossl.Port)" -Background
        try {
            $r = Send-SocketData 127.0.0.1 $fwd.Port "x`n" -Reply -ErrorAction SilentlyContinue
            "$($r.ReplyText)" | Should -Be ''
            Wait-Until { @($fwd.GetEvents() | Where-Object Event -eq 'closed').Count -eq 1 } | Should -BeTrue
            $closed = @($fwd.GetEvents() | Where-Object Event -eq 'closed')[0]
            $closed.Detail | Should -BeLike "target tls://localhost:$($ossl.Port): TLS handshake with localhost failed: certificate verification failed*unknown CA*-SkipCertificateCheck*"
            "$($fwd.State)" | Should -Be 'Running'
        }
        finally {
            $fwd | Stop-SocketListener
            $ossl | Stop-ProcessPeer
        }
    }

    It 'pins a -SelfSignedCertificate target''s key with -Pin, and warns for -SkipCertificateCheck' {
        $target = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -SelfSignedCertificate -Background
        $fwd = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -ForwardTo "tls://127.0.0.1:$($target.Port)" -Pin $target.TlsKeyPin -Background
        $skip = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -ForwardTo "tls://127.0.0.1:$($target.Port)" -SkipCertificateCheck -Background -WarningVariable warned -WarningAction SilentlyContinue
        try {
            (Send-SocketData 127.0.0.1 $fwd.Port 'pinned' -Reply).ReplyText | Should -Be 'pinned'
            (Send-SocketData 127.0.0.1 $skip.Port 'skipped' -Reply).ReplyText | Should -Be 'skipped'
            "$warned" | Should -Match "SkipCertificateCheck: the target's certificate is not verified"
            Wait-Until { @($fwd.GetEvents() | Where-Object Event -eq 'forwarded').Count -eq 1 } | Should -BeTrue
            $tls = @($fwd.GetEvents() | Where-Object Event -eq 'forwarded')[0].Tls
            $tls.Pinned | Should -BeTrue
            $tls.PublicKeyPin | Should -Be $target.TlsKeyPin
            Wait-Until { @($target.GetEvents() | Where-Object Event -eq 'tls').Count -eq 2 } | Should -BeTrue
        }
        finally { $skip, $fwd, $target | Stop-SocketListener }
    }

    It 'names the parameters when they do not fit' {
        { New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -ForwardTo 127.0.0.1:9 -SkipCertificateCheck -Background -ErrorAction Stop -WarningAction SilentlyContinue } | Should -Throw '*-SkipCertificateCheck applies to a TLS target: give -ForwardTo as tls://host:port*'
        { New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -Pin 'sha256:x' -Background -ErrorAction Stop } | Should -Throw '*-Pin applies to a TLS target*'
        { New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -ForwardTo tls://127.0.0.1:9 -ForwardKeyPath x.key -Background -ErrorAction Stop } | Should -Throw '*-ForwardKeyPath is the key of -ForwardCertificatePath*'
        { New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Udp -ForwardTo tls://127.0.0.1:9 -Background -ErrorAction Stop } | Should -Throw '*a TLS target takes a stream listener*'
    }
}
