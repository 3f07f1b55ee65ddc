using System.CommandLine;

namespace Nsock.Cli;

/// <summary>
/// Options that mean the same in several commands, declared once (as the dotnet SDK and Aspire CLIs share theirs):
/// one spelling, one description, one default. A command adds the ones it takes. One instance per command tree
/// (as <see cref="GlobalOptions"/>): an option records the commands it belongs to, so trees built side by side
/// (the in-process tests) must not share option objects.
/// </summary>
internal sealed class SharedOptions
{
    /// <summary>The peer to connect to (connect, send).</summary>
    public Argument<string> Peer { get; } = new("endpoint") { Description = "host:port, [v6addr]:port, unix:/path, optionally tcp:// udp:// unix://" };

    public Option<bool> Udp { get; } = new("--udp", "-u") { Description = "UDP instead of TCP (connect, send: each read of the input is one datagram; listen: datagrams; probe: UDP probes)" };

    public Option<bool> SendOnly { get; } = new("--send-only") { Description = "Only send stdin; what the peer sends is read and discarded" };

    public Option<bool> RecvOnly { get; } = new("--recv-only") { Description = "Only print what the peer sends; stdin is not read" };

    public Option<bool> NoShutdown { get; } = new("--no-shutdown") { Description = "Do not half-close when stdin ends" };

    // The listening verbs' client limits and filters (listen, forward).
    public Option<int> MaxClients { get; } = new("--max-clients") { Description = "Clients served at once; more wait until a slot frees", DefaultValueFactory = _ => Nsock.Core.ListenerOptions.DefaultMaxClients };

    public Option<long?> Count { get; } = new("--count", "-n") { Description = "Stop after this many clients (UDP: datagrams)" };

    public Option<string[]> Allow { get; } = new("--allow") { Description = "Only serve peers in these CIDR blocks (repeatable, comma-separated)", AllowMultipleArgumentsPerToken = false };

    public Option<string[]> Deny { get; } = new("--deny") { Description = "Refuse peers in these CIDR blocks (repeatable, comma-separated; wins over --allow)" };
}
