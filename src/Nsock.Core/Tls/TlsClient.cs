using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// TLS on a connected stream socket for connect, send and recv: checked once in Validate (the CA file is read then),
// run once connected. The handshake is bounded by the verb's timeout.
internal sealed class TlsClient
{
    private readonly string? _sni;
    private readonly bool _insecure;
    private readonly X509Certificate2Collection? _trust;
    private readonly TimeSpan _timeout;
    private readonly IOptionNames _names;
    private readonly IReadOnlyList<string>? _pins;
    private readonly IReadOnlyList<string>? _alpn;
    private readonly X509Certificate2? _certificate;

    private TlsClient(string? sni, bool insecure, X509Certificate2Collection? trust, TimeSpan timeout, IOptionNames names,
        IReadOnlyList<string>? pins, IReadOnlyList<string>? alpn, X509Certificate2? certificate)
    {
        _sni = sni;
        _insecure = insecure;
        _trust = trust;
        _timeout = timeout;
        _names = names;
        _pins = pins;
        _alpn = alpn;
        _certificate = certificate;
    }

    /// <summary>The same settings with the handshake bounded by <paramref name="timeout"/> (ping's per-probe timeout).</summary>
    public TlsClient WithTimeout(TimeSpan timeout) => new(_sni, _insecure, _trust, timeout, _names, _pins, _alpn, _certificate);

    /// <summary>The settings for a TLS connection, or null without TLS; options that need TLS are refused without it.</summary>
    public static TlsClient? From(ConnectTarget target, bool tls, Endpoint endpoint, IOptionNames names)
    {
        if (!tls)
        {
            NsockOption? stray = target.Sni is not null ? NsockOption.Sni : target.CaFile is not null ? NsockOption.CaFile : target.Insecure ? NsockOption.Insecure
                : target.Pin is not null ? NsockOption.Pin : target.Alpn is not null ? NsockOption.Alpn
                : target.CertificateFile is not null || target.ClientCertificate is not null ? NsockOption.TlsCertificate : target.KeyFile is not null ? NsockOption.TlsKey
                : target.CertificatePassword is not null ? NsockOption.TlsCertificatePassword : null;
            if (stray is NsockOption o) throw NsockException.BadInput($"{names.Option(o)} applies to TLS: give {names.Option(NsockOption.Tls)} or a tls://host:port endpoint");
            return null;
        }
        if (endpoint.Transport != Transport.Tcp)
            throw NsockException.BadInput($"TLS runs over TCP: {names.Option(NsockOption.Tls)} does not combine with a {endpoint.Transport.ToText()} endpoint");
        if (target.Insecure && target.CaFile is not null)
            throw NsockException.BadInput($"{names.Option(NsockOption.Insecure)} skips verification and {names.Option(NsockOption.CaFile)} says how to verify: give one");
        if (target.Sni is { } sni && (sni.Trim().Length == 0 || sni.IndexOfAny(new[] { ' ', '/', ':', '\0' }) >= 0))
            throw NsockException.BadInput($"{names.Option(NsockOption.Sni)} '{NsockText.Printable(sni)}' is not a host name");
        IReadOnlyList<string>? pins = target.Pin is null ? null : PublicKeyPin.Parse(target.Pin, names.Option(NsockOption.Pin));
#if !NET
        if (pins is not null) throw NsockException.BadInput($"{names.Option(NsockOption.Pin)} needs PowerShell 7 (.NET 8): Windows PowerShell cannot read a certificate's public key info");
#endif
        if (pins is not null && target.Insecure)
            throw NsockException.BadInput($"{names.Option(NsockOption.Pin)} accepts exactly the pinned keys and {names.Option(NsockOption.Insecure)} any: give one");
        if (pins is not null && target.CaFile is not null)
            throw NsockException.BadInput($"{names.Option(NsockOption.Pin)} replaces certificate verification, so {names.Option(NsockOption.CaFile)} has nothing to do: give one");
        IReadOnlyList<string>? alpn = target.Alpn is null ? null : ParseAlpn(target.Alpn, names.Option(NsockOption.Alpn));
        X509Certificate2? certificate = ClientCertificate(target, names);
        X509Certificate2Collection? trust = target.CaFile is null ? null : TlsFiles.ReadPemCertificates(target.CaFile, names.Option(NsockOption.CaFile));
        TimeSpan timeout = target.TimeoutOrDefault(names) ?? System.Threading.Timeout.InfiniteTimeSpan;
        return new TlsClient(target.Sni, target.Insecure, trust, timeout, names, pins, alpn, certificate);
    }

    /// <summary>Handshakes, reports <see cref="TlsNegotiated"/> and gives the stream to relay over (it does not own the
    /// socket: the caller closes it); on failure the socket is closed and the error (<see cref="NsockErrorKind.Tls"/>) thrown.</summary>
    public async Task<TlsStream> StartAsync(Socket socket, Endpoint endpoint, IEventSink sink, CancellationToken ct)
    {
        (TlsStream stream, TlsInfo info) = await HandshakeAsync(socket, endpoint, ct).ConfigureAwait(false);
        sink.Emit(new TlsNegotiated(info));
        return stream;
    }

    /// <summary>As <see cref="StartAsync"/>, for a caller that reports what was negotiated its own way (a forward's target, on its <see cref="ClientForwarded"/>).</summary>
    public async Task<(TlsStream Stream, TlsInfo Info)> HandshakeAsync(Socket socket, Endpoint endpoint, CancellationToken ct)
    {
        try
        {
            TlsStateLock tlsState = new();
            (SslStream ssl, TlsInfo info) = await TlsConnector.AuthenticateAsync(new TlsSocketStream(socket, tlsState), endpoint.Host ?? "localhost", _sni, _insecure, _timeout, _names, ct, _trust, offerHttp11: false, _pins, _alpn, _certificate).ConfigureAwait(false);
            return (new TlsStream(ssl, tlsState), info);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // The protocol names as sent on the wire (RFC 7301: 1 to 255 bytes each); none may be empty.
    private static IReadOnlyList<string> ParseAlpn(string text, string option)
    {
#if !NET
        throw NsockException.BadInput($"{option} needs PowerShell 7 (.NET 8): Windows PowerShell's TLS cannot offer protocols");
#else
        var protocols = new List<string>();
        foreach (string part in text.Split(','))
        {
            string p = part.Trim();
            if (p.Length == 0) continue;
            if (Encoding.UTF8.GetByteCount(p) > 255 || HasControl(p))
                throw NsockException.BadInput($"{option} '{NsockText.Printable(p)}' is not a protocol name (1 to 255 printable bytes, as h2 or http/1.1)");
            protocols.Add(p);
        }
        if (protocols.Count == 0) throw NsockException.BadInput($"{option} is empty: give the protocols to offer, as h2,http/1.1");
        return protocols;
#endif
    }

    // My certificate: a file (the one loader of certificate files, TlsFiles, as listen --cert reads) or an object with its key; a key or password needs the file.
    private static bool HasControl(string text)
    {
        foreach (char c in text)
        {
            if (char.IsControl(c)) return true;
        }
        return false;
    }

    private static X509Certificate2? ClientCertificate(ConnectTarget target, IOptionNames names)
    {
        if (target.ClientCertificate is { } given)
        {
            if (target.CertificateFile is not null)
                throw NsockException.BadInput($"give a certificate as an object or as {names.Option(NsockOption.TlsCertificate)}; not both");
            if (!given.HasPrivateKey) throw NsockException.BadInput($"the client certificate '{NsockText.Printable(given.Subject)}' has no private key");
            return given;
        }
        if (target.CertificateFile is null)
        {
            if (target.KeyFile is not null) throw NsockException.BadInput($"{names.Option(NsockOption.TlsKey)} is the key of {names.Option(NsockOption.TlsCertificate)}: give that too");
            if (target.CertificatePassword is not null) throw NsockException.BadInput($"{names.Option(NsockOption.TlsCertificatePassword)} opens {names.Option(NsockOption.TlsCertificate)}: give that too");
            return null;
        }
#if NET
        return TlsFiles.ReadCertificate(target.CertificateFile, target.KeyFile, target.CertificatePassword, names);
#else
        throw NsockException.BadInput($"{names.Option(NsockOption.TlsCertificate)} needs PowerShell 7 (.NET 8); Windows PowerShell takes -Certificate (an X509Certificate2 with its key)");
#endif
    }
}
