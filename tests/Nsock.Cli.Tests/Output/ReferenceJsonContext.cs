using System.Text.Json.Serialization;
using Nsock.Cli;
using Nsock.Core;

namespace Nsock.Cli.Tests;

// The serializer that wrote --json until JsonEventWriter replaced it (to take 1.2 MB out of the native binary), kept
// here as the reference JsonEventWriterTests compares against: the shape users' scripts parse stays exactly this one.
// Enums are written by name; the engine's states that have a printed word (file status, HTTP framing, transport,
// digest) are written as that word. A new event type goes here as well as into JsonEventWriter.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    Converters = new[] { typeof(FileStatusReference), typeof(HttpFramingReference), typeof(TransportReference), typeof(FileHashAlgorithmReference) })]
[JsonSerializable(typeof(ListenerReady))]
[JsonSerializable(typeof(ClientConnected))]
[JsonSerializable(typeof(ClientRejected))]
[JsonSerializable(typeof(ClientClosed))]
[JsonSerializable(typeof(DatagramReceived))]
[JsonSerializable(typeof(Connected))]
[JsonSerializable(typeof(HostInfo))]
[JsonSerializable(typeof(SendResult))]
[JsonSerializable(typeof(ReceiveResult))]
[JsonSerializable(typeof(ErrorReport))]
[JsonSerializable(typeof(PingReply))]
[JsonSerializable(typeof(PingLost))]
[JsonSerializable(typeof(PingSummary))]
[JsonSerializable(typeof(PortProbeResult))]
[JsonSerializable(typeof(HttpJson))]
[JsonSerializable(typeof(FileStarted))]
[JsonSerializable(typeof(FileProgress))]
[JsonSerializable(typeof(FileResult))]
[JsonSerializable(typeof(ClientDropped))]
[JsonSerializable(typeof(ChatJoined))]
[JsonSerializable(typeof(ChatLeft))]
[JsonSerializable(typeof(ChatMessage))]
[JsonSerializable(typeof(ChatRenamed))]
[JsonSerializable(typeof(ClientForwarded))]
[JsonSerializable(typeof(SocketConnection))]
[JsonSerializable(typeof(ConnectionChange))]
[JsonSerializable(typeof(ListenerStatistics))]
[JsonSerializable(typeof(TlsNegotiated))]
[JsonSerializable(typeof(ClientTlsNegotiated))]
internal sealed partial class ReferenceJsonContext : JsonSerializerContext
{
}
