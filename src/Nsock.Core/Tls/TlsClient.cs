using System;
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

    private TlsClient(string? sni, bool insecure, X509Certificate2Collection? trust, TimeSpan timeout, IOptionNames names)
    {
        _sni = sni;
        _insecure = insecure;
        _trust = trust;
        _timeout = timeout;
        _names = names;
    }

    /// <summary>The settings for a TLS connection, or null without TLS; options that need TLS are refused without it.</summary>
    public static TlsClient? From(ConnectTarget target, bool tls, Endpoint endpoint, IOptionNames names)
    {
        if (!tls)
        {
            NsockOption? stray = target.Sni is not null ? NsockOption.Sni : target.CaFile is not null ? NsockOption.CaFile : target.Insecure ? NsockOption.Insecure : null;
            if (stray is NsockOption o) throw NsockException.BadInput($"{names.Option(o)} applies to TLS: give {names.Option(NsockOption.Tls)} or a tls://host:port endpoint");
            return null;
        }
        if (endpoint.Transport != Transport.Tcp)
            throw NsockException.BadInput($"TLS runs over TCP: {names.Option(NsockOption.Tls)} does not combine with a {endpoint.Transport.ToText()} endpoint");
        if (target.Insecure && target.CaFile is not null)
            throw NsockException.BadInput($"{names.Option(NsockOption.Insecure)} skips verification and {names.Option(NsockOption.CaFile)} says how to verify: give one");
        if (target.Sni is { } sni && (sni.Trim().Length == 0 || sni.IndexOfAny(new[] { ' ', '/', ':', '\0' }) >= 0))
            throw NsockException.BadInput($"{names.Option(NsockOption.Sni)} '{NsockText.Printable(sni)}' is not a host name");
        X509Certificate2Collection? trust = target.CaFile is null ? null : TlsFiles.ReadPemCertificates(target.CaFile, names.Option(NsockOption.CaFile));
        TimeSpan timeout = target.TimeoutOrDefault(names) ?? System.Threading.Timeout.InfiniteTimeSpan;
        return new TlsClient(target.Sni, target.Insecure, trust, timeout, names);
    }

    /// <summary>Handshakes, reports <see cref="TlsNegotiated"/> and gives the stream to relay over (it does not own the
    /// socket: the caller closes it); on failure the socket is closed and the error (<see cref="NsockErrorKind.Tls"/>) thrown.</summary>
    public async Task<TlsStream> StartAsync(Socket socket, Endpoint endpoint, IEventSink sink, CancellationToken ct)
    {
        try
        {
            object tlsState = new();
            (SslStream ssl, TlsInfo info) = await TlsConnector.AuthenticateAsync(new TlsSocketStream(socket, tlsState), endpoint.Host ?? "localhost", _sni, _insecure, _timeout, _names, ct, _trust, offerHttp11: false).ConfigureAwait(false);
            sink.Emit(new TlsNegotiated(info));
            return new TlsStream(ssl, tlsState);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
