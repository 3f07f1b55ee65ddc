# The client side's -Pin, -Alpn, -Certificate/-CertificatePath/-KeyPath (mutual TLS), Send-File over TLS and
# Test-SocketPort -UseTls/-ExpiresWithin, against openssl s_server with certificates openssl makes here (a
# self-signed one for pinning, one expiring in 3 days, a CA with a server and a client certificate) and against
# New-SocketListener -SelfSignedCertificate. The expected pins are computed by openssl.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:dir = Join-Path $TestDrive 'tlsclient'
    $null = New-Item -ItemType Directory -Path $script:dir
    function script:P([string] $name) { Join-Path $script:dir $name }
    function script:New-SelfSigned([string] $name, [int] $days) {
        & openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days $days -subj '/CN=localhost' -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' -keyout (P "$name.key") -out (P "$name.pem") 2>$null
        if ($LASTEXITCODE -ne 0) { throw "openssl could not make $name" }
    }
    New-SelfSigned self 30
    New-SelfSigned soon 3
    & openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj '/CN=nsock pester mtls CA' -keyout (P ca.key) -out (P ca.pem) 2>$null
    foreach ($n in 'server', 'client') {
        & openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$n" -keyout (P "$n.key") -out (P "$n.csr") 2>$null
    }
    Set-Content -LiteralPath (P server.ext) -Value "subjectAltName=DNS:localhost,IP:127.0.0.1`nextendedKeyUsage=serverAuth"
    Set-Content -LiteralPath (P client.ext) -Value 'extendedKeyUsage=clientAuth'
    foreach ($n in 'server', 'client') {
        & openssl x509 -req -in (P "$n.csr") -CA (P ca.pem) -CAkey (P ca.key) -CAcreateserial -days 2 -extfile (P "$n.ext") -out (P "$n.pem") 2>$null
        if ($LASTEXITCODE -ne 0) { throw "openssl could not sign $n" }
    }
    # The pin as curl documents it: the public key as DER, SHA-256, base64.
    & openssl x509 -in (P self.pem) -pubkey -noout -out (P self.pub) 2>$null
    & openssl pkey -pubin -in (P self.pub) -outform der -out (P self.der) 2>$null
    $script:selfPin = 'sha256:' + [Convert]::ToBase64String([System.Security.Cryptography.SHA256]::HashData([IO.File]::ReadAllBytes((P self.der))))

    function script:Start-SServer([string] $leaf, [string[]] $extra = @()) {
        Start-ProcessPeer openssl (@('s_server', '-accept', '127.0.0.1:0', '-naccept', '2', '-rev', '-cert', (P "$leaf.pem"), '-key', (P "$leaf.key")) + $extra)
    }
}

Describe 'TLS client parameters' {
    AfterEach { Stop-TestRunspaces }

    It 'accepts exactly the pinned key of a self-signed server with -Pin, and the result carries the pin' {
        $ossl = Start-SServer self
        try {
            $r = Send-SocketData localhost $ossl.Port "pin`n" -UseTls -Pin 'sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', $script:selfPin -Reply
            $r.ReplyText | Should -Be "nip`n"
            $r.Tls.Pinned | Should -BeTrue
            $r.Tls.Verified | Should -BeFalse
            $r.Tls.PublicKeyPin | Should -Be $script:selfPin
        }
        finally { $ossl | Stop-ProcessPeer }
    }

    It 'refuses a key that is not pinned as SecurityError naming both pins' {
        $ossl = Start-SServer self
        try {
            $wrong = 'sha256:' + [Convert]::ToBase64String([byte[]]::new(32))
            $err = $null
            try { Receive-SocketData localhost $ossl.Port -UseTls -Pin $wrong -ErrorAction Stop } catch { $err = $_ }
            "$($err.CategoryInfo.Category)" | Should -Be 'SecurityError'
            "$err" | Should -Match ([regex]::Escape("expected $wrong"))
            "$err" | Should -Match ([regex]::Escape("the server's key is $($script:selfPin)"))
            "$err" | Should -Match '-Pin'
        }
        finally { $ossl | Stop-ProcessPeer }
    }

    It 'sends a client certificate from -CertificatePath/-KeyPath and from a -Certificate object to a server that requires one' {
        $ossl = Start-SServer server @('-Verify', '1', '-CAfile', (P ca.pem))
        try {
            $r = Send-SocketData localhost $ossl.Port "files`n" -UseTls -CertificateAuthorityPath (P ca.pem) -CertificatePath (P client.pem) -KeyPath (P client.key) -Reply
            $r.ReplyText | Should -Be "selif`n"
            $cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPemFile((P client.pem), (P client.key))
            $r2 = Send-SocketData localhost $ossl.Port "object`n" -UseTls -CertificateAuthorityPath (P ca.pem) -Certificate $cert -Reply
            $r2.ReplyText | Should -Be "tcejbo`n"
        }
        finally { $ossl | Stop-ProcessPeer }
    }

    It 'is refused as SecurityError by a server that requires a client certificate when none is given' {
        $ossl = Start-SServer server @('-Verify', '1', '-CAfile', (P ca.pem))
        try {
            $err = $null
            try { Send-SocketData localhost $ossl.Port "x`n" -UseTls -CertificateAuthorityPath (P ca.pem) -Reply -ErrorAction Stop } catch { $err = $_ }
            "$($err.CategoryInfo.Category)" | Should -Be 'SecurityError'
        }
        finally { $ossl | Stop-ProcessPeer }
    }

    It 'offers -Alpn and reports the protocol the server chose' {
        $ossl = Start-SServer self @('-alpn', 'h2')
        try {
            $r = Send-SocketData localhost $ossl.Port "a`n" -UseTls -Pin $script:selfPin -Alpn h2, 'http/1.1' -Reply
            $r.Tls.Alpn | Should -Be 'h2'
        }
        finally { $ossl | Stop-ProcessPeer }
    }

    It 'Send-File -UseTls -Pin delivers verified files to New-SocketListener -SelfSignedCertificate, with the TLS details' {
        $rx = New-Item -ItemType Directory -Path (P received)
        $file = P 'payload.bin'
        [IO.File]::WriteAllBytes($file, [byte[]](1..200000 | ForEach-Object { $_ % 251 }))
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -ReceiveFiles $rx.FullName -SelfSignedCertificate -Background
        try {
            $r = Send-File 127.0.0.1 $l.Port $file -UseTls -Pin $l.TlsKeyPin
            $r.Verified | Should -BeTrue
            $r.Tls.Pinned | Should -BeTrue
            (Get-FileHash (Join-Path $rx.FullName 'payload.bin')).Hash | Should -Be (Get-FileHash $file).Hash
        }
        finally { $l | Stop-SocketListener }
    }

    It 'names TLS-only parameters given without TLS' {
        $err = $null
        try { Send-SocketData 127.0.0.1 1 x -Pin $script:selfPin -ErrorAction Stop } catch { $err = $_ }
        "$err" | Should -Match '-Pin applies to TLS: give -UseTls'
        $err = $null
        try { Send-SocketData 127.0.0.1 1 x -UseTls -KeyPath (P client.key) -ErrorAction Stop } catch { $err = $_ }
        "$err" | Should -Match '-KeyPath is the key of -CertificatePath'
    }
}

Describe 'Test-SocketPort -UseTls' {
    AfterEach { Stop-TestRunspaces }

    It 'reports whether an open port speaks TLS, its certificate subject and days left, and a plain port as not TLS' {
        $ossl = Start-SServer self
        $plain = Start-PythonEcho
        try {
            $r = Test-SocketPort 127.0.0.1 $ossl.Port, $plain.Port -UseTls -Timeout 2
            $r[0].Tls.SpeaksTls | Should -BeTrue
            $r[0].Tls.Subject | Should -Be 'CN=localhost'
            $r[0].Tls.DaysLeft | Should -BeIn 28, 29, 30
            $r[0].Tls.Verified | Should -BeFalse
            $r[1].State | Should -Be 'Open'
            $r[1].Tls.SpeaksTls | Should -BeFalse
        }
        finally { $ossl, $plain | Stop-ProcessPeer }
    }

    It '-ExpiresWithin writes an error for a certificate expiring in 3 days and -Quiet answers false' {
        $ossl = Start-SServer soon @('-naccept', '4')
        try {
            $r = Test-SocketPort 127.0.0.1 $ossl.Port -UseTls -ExpiresWithin 30 -ErrorVariable expiring -ErrorAction SilentlyContinue
            $r.Tls.DaysLeft | Should -BeIn 2, 3
            "$expiring" | Should -Match 'expires .* within 30 days'
            $expiring[0].FullyQualifiedErrorId | Should -Match '^CertificateExpiresSoon'
            Test-SocketPort 127.0.0.1 $ossl.Port -UseTls -ExpiresWithin 30 -Quiet -ErrorAction SilentlyContinue | Should -BeFalse
        }
        finally { $ossl | Stop-ProcessPeer }
    }
}
