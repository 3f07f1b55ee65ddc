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
