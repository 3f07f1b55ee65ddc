using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// probe --tls: every open TCP port gets a second connection and a TLS handshake, each bounded by the probe's timeout
// (a port that accepts TCP but never answers the ClientHello is "no TLS within the timeout"). The looks run side by
// side (at most the probe's parallelism) while results are still reported in the prober's order.
internal sealed class TlsProbe : IEventSink
{
    private readonly IEventSink _inner;
    private readonly TlsProbeSettings _settings;
    private readonly TimeSpan _timeout;
    private readonly CancellationToken _ct;
    private readonly SemaphoreSlim _slots;
    private readonly List<PortProbeResult> _results = new();
    private readonly object _lock = new();
    private Task _tail = Task.CompletedTask;

    public TlsProbe(IEventSink inner, TlsProbeSettings settings, PortProbeOptions options, CancellationToken ct)
    {
        _inner = inner;
        _settings = settings;
        _timeout = options.Timeout;
        _ct = ct;
        _slots = new SemaphoreSlim(Math.Max(1, Math.Min(options.Parallel, 64)));
    }

    public void Emit(NsockEvent e)
    {
        lock (_lock)
        {
            Task<NsockEvent> look = e is PortProbeResult { State: PortState.Open, Protocol: Transport.Tcp, Address: not null } r ? LookAsync(r) : Task.FromResult(e);
            _tail = ReportAfterAsync(_tail, look);
        }
    }

    /// <summary>Every result as reported (with its look), once the last look is done.</summary>
    public async Task<IReadOnlyList<PortProbeResult>> ResultsAsync()
    {
        Task tail;
        lock (_lock) tail = _tail;
        await tail.ConfigureAwait(false);
        return _results;
    }

    private async Task ReportAfterAsync(Task before, Task<NsockEvent> look)
    {
        await before.ConfigureAwait(false);
        NsockEvent e = await look.ConfigureAwait(false);
        if (e is PortProbeResult r) _results.Add(r);
        _inner.Emit(e);
    }

    private async Task<NsockEvent> LookAsync(PortProbeResult r)
    {
        await _slots.WaitAsync(_ct).ConfigureAwait(false);
        try
        {
            return r with { Tls = await CheckAsync(r).ConfigureAwait(false) };
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task<TlsCheck> CheckAsync(PortProbeResult r)
    {
        var target = new IPEndPoint(IPAddress.Parse(r.Address!), r.Port);
        // A name is the server name to ask for and verify; an address is verified against the certificate's addresses.
        string host = IPAddress.TryParse(r.Target.Trim('[', ']'), out _) || r.Target.IndexOf('/') >= 0 ? r.Address! : r.Target;
        Socket socket;
        try
        {
            socket = await Connector.ConnectOneAsync(target, Transport.Tcp, _timeout, _settings.Source, _ct).ConfigureAwait(false);
        }
        catch (NsockException e) when (e.Kind != NsockErrorKind.BadInput)
        {
            return new TlsCheck(false, null, null, null, false, $"the second connection, for TLS, failed: {e.Message}", null);
        }
        try
        {
            (System.Net.Security.SslStream ssl, TlsInfo info) = await TlsConnector.AuthenticateAsync(new NetworkStream(socket, ownsSocket: false), host, _settings.Sni, insecure: true, _timeout, _settings.Names, _ct, _settings.Trust, offerHttp11: false).ConfigureAwait(false);
            ssl.Dispose();
            int daysLeft = (int)Math.Floor((info.NotAfter - DateTimeOffset.UtcNow).TotalDays);
            return new TlsCheck(true, info.Subject, info.NotAfter, daysLeft, info.Verified, info.VerificationError, info);
        }
        catch (NsockException e) when (e.Kind is NsockErrorKind.Tls or NsockErrorKind.TimedOut or NsockErrorKind.Io)
        {
            string problem = e.Kind == NsockErrorKind.TimedOut ? $"no TLS handshake within {_timeout.TotalSeconds:0.###}s" : e.Message;
            return new TlsCheck(false, null, null, null, false, problem, null);
        }
        finally
        {
            socket.Dispose();
        }
    }
}

// What probe --tls was given, checked: the CA file read once, the server name, the source to connect from.
internal sealed record TlsProbeSettings(X509Certificate2Collection? Trust, string? Sni, ConnectOptions? Source, IOptionNames Names, double? ExpiresWithinDays);
