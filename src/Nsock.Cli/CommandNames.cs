using System.Collections.Generic;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary>How the command spells what the engine's messages name: <c>--bytes</c>, <c>-4</c>, <c>nsock recv</c>.</summary>
internal sealed class CommandNames : IOptionNames
{
    public static readonly CommandNames Instance = new();

    private static readonly Dictionary<NsockOption, string> s_options = new()
    {
        [NsockOption.Endpoint] = "ENDPOINT",
        [NsockOption.Host] = "the host",
        [NsockOption.Port] = "the port",
        [NsockOption.Udp] = "--udp",
        [NsockOption.Tcp] = "--tcp",
        [NsockOption.Timeout] = "--timeout",
        [NsockOption.IPv4] = "-4",
        [NsockOption.IPv6] = "-6",
        [NsockOption.Reply] = "--reply",
        [NsockOption.ByteLimit] = "--bytes",
        [NsockOption.Until] = "--until",
        [NsockOption.Count] = "--count",
        [NsockOption.Interval] = "--interval",
        [NsockOption.Size] = "--size",
        [NsockOption.Payload] = "--payload",
        [NsockOption.Warmup] = "--warmup",
        [NsockOption.Overwrite] = "--overwrite",
        [NsockOption.FilesByteLimit] = "--max-bytes",
        [NsockOption.Resume] = "--resume",
        [NsockOption.Insecure] = "--insecure",
    };

    private CommandNames()
    {
    }

    public string Option(NsockOption option) => s_options.TryGetValue(option, out string? name) ? name : PlainOptionNames.Instance.Option(option);

    public string Verb(NsockVerb verb) => verb switch
    {
        NsockVerb.Receive => "nsock recv",
        NsockVerb.SendFiles => "nsock send-file",
        _ => "nsock " + PlainOptionNames.Instance.Verb(verb),
    };
}
