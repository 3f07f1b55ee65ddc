# Send-SocketData and Receive-SocketData over TLS against openssl s_server (-rev: each line comes back reversed), with
# a CA and a leaf for localhost made here by openssl: verified with -CertificateAuthorityPath, refused without it
# (unknown CA) or for another name, accepted with -SkipCertificateCheck and a warning.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:tlsDir = Join-Path $TestDrive 'tls'
    $null = New-Item -ItemType Directory -Path $script:tlsDir
    $script:ca = Join-Path $script:tlsDir 'ca.pem'
    $caKey = Join-Path $script:tlsDir 'ca.key'
    $script:leaf = Join-Path $script:tlsDir 'leaf.pem'
    $script:leafKey = Join-Path $script:tlsDir 'leaf.key'
    $csr = Join-Path $script:tlsDir 'leaf.csr'
    $ext = Join-Path $script:tlsDir 'ext.cnf'
    & openssl req -x509 -newkey rsa:2048 -nodes -keyout $caKey -out $script:ca -days 2 -subj '/CN=nsock pester CA' -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign' 2>$null
    & openssl req -newkey rsa:2048 -nodes -keyout $script:leafKey -out $csr -subj '/CN=localhost' 2>$null
    Set-Content -LiteralPath $ext -Value "subjectAltName=DNS:localhost,IP:127.0.0.1`nbasicConstraints=CA:FALSE`nextendedKeyUsage=serverAuth"
    & openssl x509 -req -in $csr -CA $script:ca -CAkey $caKey -CAcreateserial -out $script:leaf -days 1 -extfile $ext 2>$null
    if ($LASTEXITCODE -ne 0) { throw 'openssl could not make the test certificates' }

    function Start-TlsReverser {
        Start-ProcessPeer openssl @('s_server', '-accept', '127.0.0.1:0', '-naccept', '1', '-rev', '-cert', $script:leaf, '-key', $script:leafKey)
    }
}

Describe 'TLS on Send-SocketData and Receive-SocketData' {
    AfterEach { Stop-TestRunspaces }

    It 'sends and gets the reply over TLS verified by -CertificateAuthorityPath, with the TLS details on the result' {
        $ossl = Start-TlsReverser
        try {
            $r = Send-SocketData localhost $ossl.Port "hello`n" -UseTls -CertificateAuthorityPath $script:ca -Reply
            $r.ReplyText | Should -Be "olleh`n"
            $r.Tls.Verified | Should -BeTrue
            $r.Tls.Subject | Should -Be 'CN=localhost'
            $r.Tls.Issuer | Should -Be 'CN=nsock pester CA'
            $r.Tls.Sha256Fingerprint | Should -Match '^([0-9A-F]{2}:){31}[0-9A-F]{2}$'
        }
        finally { $ossl | Stop-ProcessPeer }
    }

    It 'fails as SecurityError naming the unknown CA without -CertificateAuthorityPath' {
        $ossl = Start-TlsReverser
        try {
            $err = $null
            try { Send-SocketData localhost $ossl.Port "x`n" -UseTls -ErrorAction Stop } catch { $err = $_ }
            "$($err.CategoryInfo.Category)" | Should -Be 'SecurityError'
            "$err" | Should -Match "unknown CA: issuer 'CN=nsock pester CA'"
            "$err" | Should -Match '-SkipCertificateCheck to skip verification'
        }
        finally { $ossl | Stop-ProcessPeer }
    }

    It 'accepts with -SkipCertificateCheck and a tls:// endpoint, warning that it did' {
        $ossl = Start-TlsReverser
        try {
            $r = Send-SocketData -Endpoint "tls://127.0.0.1:$($ossl.Port)" -InputObject "abc`n" -SkipCertificateCheck -Reply -WarningVariable warned -WarningAction SilentlyContinue
            $r.ReplyText | Should -Be "cba`n"
            $r.Tls.Verified | Should -BeFalse
            "$warned" | Should -Match 'SkipCertificateCheck: the server''s certificate is not verified'
        }
        finally { $ossl | Stop-ProcessPeer }
    }

    It 'Receive-SocketData refuses a certificate for another name, naming it' {
        $ossl = Start-TlsReverser
        try {
            $err = $null
            try { Receive-SocketData localhost $ossl.Port -UseTls -CertificateAuthorityPath $script:ca -ServerName wrong.example -ErrorAction Stop } catch { $err = $_ }
            "$($err.CategoryInfo.Category)" | Should -Be 'SecurityError'
            "$err" | Should -Match "the certificate is not for 'wrong.example'"
        }
        finally { $ossl | Stop-ProcessPeer }
    }

    It 'names the parameters when they do not fit: -CertificateAuthorityPath without TLS' {
        $err = $null
        try { Receive-SocketData 127.0.0.1 1 -CertificateAuthorityPath $script:ca -ErrorAction Stop } catch { $err = $_ }
        "$err" | Should -Match '-CertificateAuthorityPath applies to TLS: give -UseTls'
    }
}

Describe 'New-SocketListener -UseTls' {
    AfterEach { Stop-TestRunspaces }

    It 'serves Send-SocketData -UseTls verified by the CA, and the listener carries the fingerprint the client saw' {
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -UseTls -CertificatePath $script:leaf -KeyPath $script:leafKey -Background
        try {
            $r = Send-SocketData localhost $l.Port "hello`n" -UseTls -CertificateAuthorityPath $script:ca -Reply
            $r.ReplyText | Should -Be "hello`n"
            $r.Tls.Verified | Should -BeTrue
            $r.Tls.Sha256Fingerprint | Should -Be $l.TlsCertificateSha256
            $l.TlsKeyPin | Should -Match '^sha256:[A-Za-z0-9+/]{43}=$'
        }
        finally { $l | Stop-SocketListener }
    }

    It 'makes its own certificate with -SelfSignedCertificate, for localhost, whose fingerprint is on the ready event' {
        $l = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -SelfSignedCertificate -Background
        try {
            $r = Send-SocketData -Endpoint "tls://127.0.0.1:$($l.Port)" -InputObject "self`n" -SkipCertificateCheck -Reply -WarningAction SilentlyContinue
            $r.ReplyText | Should -Be "self`n"
            $r.Tls.Subject | Should -Be 'CN=nsock self-signed'
            $r.Tls.Sha256Fingerprint | Should -Be $l.TlsCertificateSha256
            $ready = @(Receive-Job $l -Keep | Where-Object Event -eq 'ready')
            $ready[0].Detail | Should -Match ([regex]::Escape($l.TlsKeyPin))
        }
        finally { $l | Stop-SocketListener }
    }

    It 'takes a PFX with -CertificatePassword, and an X509Certificate2 with -Certificate' {
        $pfx = Join-Path $script:tlsDir 'leaf.pfx'
        & openssl pkcs12 -export -in $script:leaf -inkey $script:leafKey -out $pfx -passout pass:s3cret 2>$null
        $LASTEXITCODE | Should -Be 0
        $password = ConvertTo-SecureString 's3cret' -AsPlainText -Force
        $a = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -UseTls -CertificatePath $pfx -CertificatePassword $password -Background
        $cert = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($pfx, 's3cret')
        $b = New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -UseTls -Certificate $cert -Background
        try {
            (Send-SocketData localhost $a.Port "pfx`n" -UseTls -CertificateAuthorityPath $script:ca -Reply).ReplyText | Should -Be "pfx`n"
            (Send-SocketData localhost $b.Port "object`n" -UseTls -CertificateAuthorityPath $script:ca -Reply).ReplyText | Should -Be "object`n"
            $a.TlsCertificateSha256 | Should -Be $b.TlsCertificateSha256
        }
        finally { $a, $b | Stop-SocketListener }
    }

    It 'names the parameters when they do not fit: -CertificatePath without -UseTls, -UseTls without a certificate' {
        $err = $null
        try { New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -CertificatePath $script:leaf -Background -ErrorAction Stop } catch { $err = $_ }
        "$err" | Should -Match '-CertificatePath applies to TLS: give -UseTls'
        $err = $null
        try { New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -UseTls -Background -ErrorAction Stop } catch { $err = $_ }
        "$err" | Should -Match '-UseTls on a listener needs a certificate: -CertificatePath FILE'
    }
}
