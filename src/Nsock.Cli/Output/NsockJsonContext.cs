using System.Text.Json.Serialization;
using Nsock.Core;

namespace Nsock.Cli;

// Source-generated serialization: no reflection, so --json works in the AOT binary. Enums are written by name;
// the engine's states that have a printed word (file status, HTTP framing, transport) are written as that word.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    Converters = new[] { typeof(FileStatusJsonConverter), typeof(HttpFramingJsonConverter), typeof(TransportJsonConverter), typeof(FileHashAlgorithmJsonConverter) })]
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
internal sealed partial class NsockJsonContext : JsonSerializerContext
{
}
