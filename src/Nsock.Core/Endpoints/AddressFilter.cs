using System.Collections.Generic;
using System.Net;

namespace Nsock.Core;

/// <summary>
/// Which peers a listener serves. A peer in any deny block is refused; when allow blocks exist, a peer
/// must be in one of them. Deny wins over allow, as in ncat.
/// </summary>
internal sealed class AddressFilter
{
    /// <summary>A filter that lets every peer in.</summary>
    public static readonly AddressFilter AllowAll = new(new List<CidrBlock>(), new List<CidrBlock>());

    /// <summary>Creates a filter from parsed blocks.</summary>
    public AddressFilter(IReadOnlyList<CidrBlock> allow, IReadOnlyList<CidrBlock> deny)
    {
        Allow = allow;
        Deny = deny;
    }

    /// <summary>Blocks whose peers are served (empty: everyone not denied).</summary>
    public IReadOnlyList<CidrBlock> Allow { get; }

    /// <summary>Blocks whose peers are refused.</summary>
    public IReadOnlyList<CidrBlock> Deny { get; }

    /// <summary>True when the filter lets every peer in.</summary>
    public bool IsOpen => Allow.Count == 0 && Deny.Count == 0;

    /// <summary>Parses lists such as <c>--allow 127.0.0.0/8,::1</c> (each entry may itself hold commas).</summary>
    public static AddressFilter Parse(IEnumerable<string>? allow, IEnumerable<string>? deny) =>
        new(Split(allow), Split(deny));

    /// <summary>Why <paramref name="peer"/> is refused, or null when it may connect.</summary>
    public string? RefusalReason(IPAddress peer)
    {
        foreach (CidrBlock denied in Deny)
        {
            if (denied.Contains(peer)) return $"denied by {denied}";
        }
        if (Allow.Count == 0) return null;
        foreach (CidrBlock allowed in Allow)
        {
            if (allowed.Contains(peer)) return null;
        }
        return "not in the allow list";
    }

    private static List<CidrBlock> Split(IEnumerable<string>? items)
    {
        var blocks = new List<CidrBlock>();
        if (items is null) return blocks;
        foreach (string item in items)
        {
            foreach (string i in item.Split(','))
            {
                if (i.Trim().Length > 0) blocks.Add(CidrBlock.Parse(i));
            }
        }
        return blocks;
    }
}
