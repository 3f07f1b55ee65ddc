using System;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

/// <summary>
/// Connect to a stream and read until the peer closes, a byte count, a delimiter, or the timeout of silence
/// (<c>nsock recv</c>, <c>Receive-SocketData</c>). <see cref="Validate"/> checks it and gives the plan that runs.
/// </summary>
public sealed record ReceiveRequest
{
    /// <summary>The peer; its timeout is also the longest silence waited for (default 10 s, 0: never).</summary>
    public ConnectTarget Target { get; init; } = new();

    /// <summary>Stop after this many bytes; null: no limit.</summary>
    public long? ByteLimit { get; init; }

    /// <summary>Stop after this byte sequence (it is kept too); null: no delimiter.</summary>
    public byte[]? Until { get; init; }

    /// <summary>Checks every value (named as <paramref name="names"/> spells them) before anything is opened.</summary>
    public ReceivePlan Validate(IOptionNames names)
    {
        (Endpoint ep, TlsClient? tls) = Target.ParseTlsEndpoint(names, Transport.Tcp, null);
        if (ep.Transport == Transport.Udp)
            throw NsockException.BadInput($"{names.Verb(NsockVerb.Receive)} reads a stream (tcp or unix); for UDP use {names.Verb(NsockVerb.Send)} {names.Option(NsockOption.Udp)} {names.Option(NsockOption.Reply)} or {names.Verb(NsockVerb.Listen)} {names.Option(NsockOption.Udp)}");
        Connector.ValidateForConnect(ep);
        if (ByteLimit is < 0) throw NsockException.BadInput($"{names.Option(NsockOption.ByteLimit)} must be 0 or more, not {ByteLimit}");
        if (Until is { Length: 0 }) throw NsockException.BadInput($"{names.Option(NsockOption.Until)} is empty");
        var options = new ReceiveOptions { MaxBytes = ByteLimit, Until = Until, IdleTimeout = Target.TimeoutOrDefault(names) };
        return new ReceivePlan(ep, Target.ConnectOptions(names), options) { Tls = tls };
    }
}

/// <summary>A checked <see cref="ReceiveRequest"/>: where, how to connect, when to stop.</summary>
public sealed record ReceivePlan(Endpoint Endpoint, ConnectOptions Connect, ReceiveOptions Options)
{
    internal TlsClient? Tls { get; init; }

    /// <summary>
    /// Connects, reports <see cref="Connected"/> to <paramref name="sink"/>, reads into <paramref name="output"/>, and
    /// judges the end: silence before the condition is a timeout, a close before a byte limit or delimiter an I/O error
    /// (the bytes that came are in <paramref name="output"/> either way). Connect failures throw.
    /// </summary>
    public async Task<ReceiveOutcome> RunAsync(Stream output, IEventSink sink, CancellationToken ct)
    {
        using Socket socket = await Connector.ConnectAsync(Endpoint, Connect, ct).ConfigureAwait(false);
        Connected connected = Connected.To(Endpoint, socket, Connect);
        sink.Emit(connected);
        using Stream? wire = Tls is null ? null : await Tls.StartAsync(socket, Endpoint, sink, ct).ConfigureAwait(false);
        ReceiveResult result = await Receiver.ReceiveAsync(socket, output, Options, ct, wire).ConfigureAwait(false);
        return new ReceiveOutcome(result, connected, Judge(result));
    }

    private NsockException? Judge(ReceiveResult result)
    {
        bool asked = Options.MaxBytes is not null || Options.Until is not null;
        if (result.End == ReceiveEnd.IdleTimeout)
        {
            string what = Options.Until is not null ? "the delimiter" : asked ? $"{Options.MaxBytes} bytes" : "the peer to close";
            string seconds = Options.IdleTimeout!.Value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            return new NsockException(NsockErrorKind.TimedOut, $"timed out after {seconds}s of silence waiting for {what} ({result.Bytes} bytes received)");
        }
        if (result.End == ReceiveEnd.PeerClosed && asked)
            return new NsockException(NsockErrorKind.Io, $"the peer closed after {result.Bytes} bytes, before {(Options.Until is not null ? "the delimiter arrived" : $"{Options.MaxBytes} bytes")}");
        return null;
    }
}

/// <summary>How a receive ended: what was read, where it connected, and the failure when it did not end as asked.</summary>
public sealed record ReceiveOutcome(ReceiveResult Result, Connected Connected, NsockException? Error)
{
    /// <summary>True when it ended as asked (the peer closed, or the byte limit or delimiter was reached).</summary>
    public bool Succeeded => Error is null;
}
