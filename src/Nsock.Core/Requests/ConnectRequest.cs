using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

/// <summary>
/// Connect and relay an input/output pair both ways with half-close (<c>nsock connect</c>, the <c>nc host port</c>
/// data path). <see cref="Validate"/> checks it and gives the plan that runs.
/// </summary>
public sealed record ConnectRequest
{
    /// <summary>The peer; <see cref="ConnectTarget.Udp"/> makes each read of the input one datagram. Its timeout bounds the connect and the silence waited for once nothing is left to send.</summary>
    public ConnectTarget Target { get; init; } = new();

    /// <summary>Only send the input; what the peer sends is read and dropped.</summary>
    public bool SendOnly { get; init; }

    /// <summary>Only write what the peer sends; the input is not read.</summary>
    public bool ReceiveOnly { get; init; }

    /// <summary>Do not half-close when the input ends.</summary>
    public bool NoShutdown { get; init; }

    /// <summary>After the input ends, end at most this many seconds later even if the peer stays open (nc -q).</summary>
    public double? WaitAfterInputEnds { get; init; }

    /// <summary>The input is a person at a terminal: they are done when the peer hangs up (a pipe may still have bytes to deliver).</summary>
    public bool InteractiveInput { get; init; }

    /// <summary>Turn each bare LF of the input into CR LF on the wire (nc -C); a CR LF already there stays.</summary>
    public bool Crlf { get; init; }

    /// <summary>Seconds to pause before each line of input after the first (nc -i); null or 0: send as it comes.</summary>
    public double? Delay { get; init; }

    /// <summary>Record both directions as a hex dump in this file (ncat -x).</summary>
    public string? HexDumpPath { get; init; }

    /// <summary>Record both directions, as they are, in this file (ncat -o).</summary>
    public string? OutputPath { get; init; }
    /// <summary>Run this program once connected, its stdin and stdout the connection (no shell; <c>--exec</c>).</summary>
    public string? Exec { get; init; }

    /// <summary>Run this shell command line once connected (<c>--sh-exec</c>).</summary>
    public string? ShExec { get; init; }

    /// <summary>Checks every value before anything is opened.</summary>
    public ConnectPlan Validate(IOptionNames names)
    {
        RelayDirection direction = RelayRules.Direction(SendOnly, ReceiveOnly, names);
        Seconds.Check(WaitAfterInputEnds, names.Option(NsockOption.WaitAfterInputEnds));
        TimeSpan? delay = SessionRules.Delay(Delay, names);
        SessionRules.CheckRecordPaths(HexDumpPath, OutputPath, names);
        (Endpoint ep, TlsClient? tls) = Target.ParseTlsEndpoint(names, Target.Udp ? Transport.Udp : Transport.Tcp, Target.Udp ? NsockOption.Udp : null);
        Connector.ValidateForConnect(ep);
        var relay = new RelayOptions
        {
            Direction = direction,
            ShutdownOnInputEnd = !NoShutdown,
            StopWhenPeerCloses = InteractiveInput,
            PeerClosedGrace = RelayOptions.DefaultPeerClosedGrace,
            WaitAfterInputEnds = WaitAfterInputEnds is double s ? TimeSpan.FromSeconds(s) : null,
            IdleTimeout = Target.TimeoutOrDefault(names),
            Crlf = Crlf,
            LineDelay = delay,
            HexDumpPath = HexDumpPath,
            OutputPath = OutputPath,
        };
        if ((Exec ?? ShExec) is not null)
        {
            if (SendOnly || ReceiveOnly || NoShutdown || WaitAfterInputEnds is not null || Target.Udp)
                throw NsockException.BadInput($"{names.Option(NsockOption.SendOnly)}, {names.Option(NsockOption.ReceiveOnly)}, {names.Option(NsockOption.NoShutdown)}, {names.Option(NsockOption.WaitAfterInputEnds)} and {names.Option(NsockOption.Udp)} do not apply to {names.Option(Exec is null ? NsockOption.ShExec : NsockOption.Exec)}: the program is both ends");
            return new ConnectPlan(ep, Target.ConnectOptions(names), ExecHandler.ProgramRelay(Target.ExplicitTimeout(names))) { Program = ProgramRun.Line(Exec, ShExec, names), Tls = tls };
        }
        // The relay's blocking threads serve the socket (TLS's handshake is async and takes it into .NET's loop anyway).
        return new ConnectPlan(ep, Target.ConnectOptions(names) with { OutsideEventLoop = tls is null }, relay) { Tls = tls };
    }
}

/// <summary>A checked <see cref="ConnectRequest"/>.</summary>
public sealed record ConnectPlan(Endpoint Endpoint, ConnectOptions Connect, RelayOptions Relay)
{
    /// <summary>The program run once connected (--exec, --sh-exec): its stdout and stdin stand for the input and output.</summary>
    public System.Collections.Generic.IReadOnlyList<string>? Program { get; init; }

    internal TlsClient? Tls { get; init; }

    /// <summary>
    /// Connects, reports <see cref="Connected"/>, relays <paramref name="input"/> and <paramref name="output"/> until
    /// both ends are done, reports <see cref="ClientClosed"/> (bytes each way, the error if any) and returns the
    /// relay's result. A connect failure throws; a relay failure is in the result's Error.
    /// </summary>
    public async Task<RelayResult> RunAsync(Stream? input, Stream? output, IEventSink sink, CancellationToken ct)
    {
        var socket = await Connector.ConnectAsync(Endpoint, Connect, ct).ConfigureAwait(false);
        Connected connected = Connected.To(Endpoint, socket, Connect);
        sink.Emit(connected);
        Stream? wire = Tls is null ? null : await Tls.StartAsync(socket, Endpoint, sink, ct).ConfigureAwait(false);
        RelayResult r = Program is null
            ? await StreamRelay.RunAsync(socket, input, output, Relay, ct, wire).ConfigureAwait(false)
            : await RunProgramAsync(socket, wire, connected.Remote, ct).ConfigureAwait(false);
        sink.Emit(new ClientClosed(0, connected.Remote, r.BytesReceived, r.BytesSent, r.Seconds, r.Error?.Message));
        return r;
    }

    // The program's output to the peer and the peer's bytes to its input; ended and reaped as a listener's --exec.
    private async Task<RelayResult> RunProgramAsync(System.Net.Sockets.Socket socket, Stream? wire, string peer, CancellationToken ct)
    {
        ProgramRun program;
        try
        {
            program = ProgramRun.Start(Program!, peer);
        }
        catch
        {
            wire?.Dispose();
            socket.Dispose();
            throw;
        }
        using (program)
        {
            try
            {
                return await StreamRelay.RunAsync(socket, program.Output, program.Input, Relay, ct, wire).ConfigureAwait(false);
            }
            finally
            {
                program.End(ct.IsCancellationRequested ? TimeSpan.Zero : ProgramRun.Grace);
            }
        }
    }
}

/// <summary>The relay rules a connect and a relay listener share.</summary>
internal static class RelayRules
{
    /// <summary>Which way bytes move: send-only and receive-only exclude each other.</summary>
    public static RelayDirection Direction(bool sendOnly, bool receiveOnly, IOptionNames names)
    {
        if (sendOnly && receiveOnly)
            throw NsockException.BadInput($"{names.Option(NsockOption.SendOnly)} and {names.Option(NsockOption.ReceiveOnly)} exclude each other");
        return sendOnly ? RelayDirection.SendOnly : receiveOnly ? RelayDirection.ReceiveOnly : RelayDirection.Both;
    }
}
