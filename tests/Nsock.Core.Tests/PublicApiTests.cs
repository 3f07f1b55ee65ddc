using System;
using System.Linq;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// The engine's public surface is what the command and the module need (and what PowerShell users see in the
/// objects the module writes); the rest is internal. A new public type is a decision: add it here on purpose.
/// </summary>
public sealed class PublicApiTests
{
    // Sorted by name. Requests/plans/outcomes, the records the faces render or write as objects, the options the plans
    // carry, and the few entry points a face runs itself (Listener, NameResolver, PortList, AtomicFile).
    private static readonly string[] s_approved =
    {
        "AtomicFile", "ChatJoined", "ChatLeft", "ChatMessage", "ChatRenamed", "ClientClosed", "ClientConnected", "ClientDropped", "ClientForwarded", "ClientRejected", "ConnectOptions", "ConnectPlan",
        "ConnectRequest", "ConnectTarget", "Connected", "DatagramReceived", "Endpoint", "EndpointParser",
        "FileHashAlgorithm", "FileProgress", "FileResult", "FileSendOptions", "FileStarted", "FileStatus", "FileToSend", "HexDumpStream", "HostInfo", "HttpChunk",
        "HttpFraming", "HttpHead", "HttpHeader", "HttpInterim", "HttpLimits", "HttpOutcome", "HttpPlan", "HttpRedirect",
        "HttpRequest", "HttpRequestOptions", "HttpRequestSent", "HttpResponse", "HttpTimings", "IEventSink",
        "IOptionNames", "IpVersion", "ListenPlan", "ListenRequest", "Listener", "ListenerMode", "ListenerOptions",
        "ListenerReady", "ListenerResult", "NameResolver", "NsockErrorKind", "NsockEvent", "NsockException",
        "NsockOption", "NsockText", "NsockVerb", "PingLost", "PingOptions", "PingOutcome", "PingPlan", "PingReply", "PingRequest",
        "PingSummary", "PlainOptionNames", "PortList", "PortProbeGroup", "PortProbeOptions", "PortProbeResult",
        "PortState", "ProbeOutcome", "ProbePlan", "ProbeRequest", "ReceiveEnd", "ReceiveOptions", "ReceiveOutcome",
        "ReceivePlan", "ReceiveRequest", "ReceiveResult", "RelayDirection", "RelayEnd", "RelayOptions", "RelayResult",
        "SendFilesOutcome", "SendFilesPlan", "SendFilesRequest", "SendOptions", "SendPlan", "SendRequest",
        "SendResult", "TlsInfo", "Transport",
        // Issue 17 (nsock conns, Get-SocketConnection); later additions go at the end too (the list is sorted when compared).
        "ConnectionChange", "ConnectionChangeKind", "ConnectionState", "ConnectionSweep", "ConnectionsPlan", "ConnectionsRequest", "SocketConnection",
        // Issue 17, part 2 (live listener statistics).
        "ListenerStatistics",
        // Issue 16 (TLS on connect, send, recv).
        "TlsNegotiated",
        // Issue 16, client side (probe --tls).
        "TlsCheck",
        // Issue 16, a TLS listener's per-client tls event.
        "ClientTlsNegotiated",
    };

    // Public types meant to be derived from or implemented outside the engine.
    private static readonly string[] s_openForInheritance = { "IEventSink", "IOptionNames", "NsockEvent" };

    [Fact]
    public void The_public_types_are_the_approved_list()
    {
        string[] actual = typeof(Endpoint).Assembly.GetExportedTypes().Select(t => t.FullName!.Replace("Nsock.Core.", "")).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.True(s_approved.OrderBy(n => n, StringComparer.Ordinal).SequenceEqual(actual),
            "public types changed; new: " + string.Join(", ", actual.Except(s_approved)) + "; gone: " + string.Join(", ", s_approved.Except(actual)) +
            "\nall: " + string.Join(", ", actual.Select(n => "\"" + n + "\"")));
    }

    [Fact]
    public void Public_classes_are_sealed_unless_designed_for_inheritance()
    {
        string[] open = typeof(Endpoint).Assembly.GetExportedTypes()
            .Where(t => (t.IsClass || t.IsInterface) && !t.IsSealed && !(t.IsAbstract && t.IsSealed)) // static classes are abstract and sealed
            .Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.Equal(s_openForInheritance, open);
    }
}
