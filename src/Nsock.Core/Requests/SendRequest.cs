using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

/// <summary>
/// Connect, send everything, half-close, and read what comes back until the peer closes or stays silent for the
/// timeout (<c>nsock send</c>, <c>Send-SocketData</c>). Over UDP each read of the data is one datagram.
/// </summary>
public sealed record SendRequest
{
    /// <summary>The peer; <see cref="ConnectTarget.Udp"/> sends datagrams. Its timeout bounds the connect and the wait for the peer after sending (default 10 s, 0: never).</summary>
    public ConnectTarget Target { get; init; } = new();

    /// <summary>Turn each bare LF of the data into CR LF on the wire (nc -C); a CR LF already there stays.</summary>
    public bool Crlf { get; init; }

    /// <summary>Seconds to pause before each line of data after the first (nc -i); null or 0: send as it comes.</summary>
    public double? Delay { get; init; }

    /// <summary>Record both directions as a hex dump in this file (ncat -x).</summary>
    public string? HexDumpPath { get; init; }

    /// <summary>Record both directions, as they are, in this file (ncat -o).</summary>
    public string? OutputPath { get; init; }

    /// <summary>Checks every value before anything is opened.</summary>
    public SendPlan Validate(IOptionNames names)
    {
        (Endpoint ep, TlsClient? tls) = Target.ParseTlsEndpoint(names, Target.Udp ? Transport.Udp : Transport.Tcp, Target.Udp ? NsockOption.Udp : null);
        Connector.ValidateForConnect(ep);
        var options = new SendOptions
        {
            Connect = Target.ConnectOptions(names),
            ReplyTimeout = Target.TimeoutOrDefault(names) ?? Timeout.InfiniteTimeSpan,
            Crlf = Crlf,
            LineDelay = SessionRules.Delay(Delay, names),
            HexDumpPath = HexDumpPath,
            OutputPath = OutputPath,
            Tls = tls,
        };
        SessionRules.CheckRecordPaths(HexDumpPath, OutputPath, names);
        return new SendPlan(ep, options);
    }
}

/// <summary>A checked <see cref="SendRequest"/>.</summary>
public sealed record SendPlan(Endpoint Endpoint, SendOptions Options)
{
    /// <summary>Sends <paramref name="data"/>; what comes back goes to <paramref name="reply"/> (or is read and dropped when null). Reports <see cref="Connected"/>.</summary>
    public Task<SendResult> RunAsync(Stream data, Stream? reply, IEventSink sink, CancellationToken ct) =>
        Sender.SendAsync(Endpoint, data, reply, Options, sink, ct);
}
