using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Nsock.Core;

/// <summary>An address block such as <c>127.0.0.0/8</c> or <c>::1/128</c>; a bare address is a block of one.</summary>
internal sealed class CidrBlock
{
    private readonly byte[] _network;

    private CidrBlock(IPAddress network, int prefixLength)
    {
        Network = network;
        PrefixLength = prefixLength;
        _network = network.GetAddressBytes();
    }

    /// <summary>The first address of the block (host bits cleared).</summary>
    public IPAddress Network { get; }

    /// <summary>How many leading bits are fixed.</summary>
    public int PrefixLength { get; }

    /// <summary>Parses <c>addr/len</c> or a bare address; fails with <see cref="NsockErrorKind.BadInput"/> naming the bad part.</summary>
    public static CidrBlock Parse(string text)
    {
        string s = (text ?? "").Trim();
        if (s.Length == 0) throw NsockException.BadInput("address block is empty");
        int slash = s.IndexOf('/');
        string addrText = slash < 0 ? s : s.Substring(0, slash);
        // IPAddress.TryParse takes short IPv4 forms ("10" is 0.0.0.10), so "10/8" would quietly mean 0.0.0.0/8.
        bool dottedQuad = addrText.IndexOf(':') >= 0 || addrText.Split('.').Length == 4;
        if (!dottedQuad || !IPAddress.TryParse(addrText, out IPAddress? address) || addrText.IndexOf('%') >= 0)
            throw NsockException.BadInput($"'{addrText}' is not an IP address in '{text}' (IPv4 needs all four parts: 10.0.0.0/8)");
        bool mapped = address.IsIPv4MappedToIPv6;
        address = Normalize(address);
        int maxBits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        int prefix = maxBits;
        if (slash >= 0)
        {
            string lenText = s.Substring(slash + 1);
            int maxGiven = mapped ? 128 : maxBits;
            if (!int.TryParse(lenText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > maxGiven || (mapped && prefix < 96))
                throw NsockException.BadInput($"'/{lenText}' is not a prefix length {(mapped ? "96-128" : "0-" + maxBits)} in '{text}'");
            if (mapped) prefix -= 96; // ::ffff:a.b.c.d/104 is the IPv4 block a.b.c.d/8
        }
        byte[] bytes = address.GetAddressBytes();
        ClearHostBits(bytes, prefix);
        return new CidrBlock(new IPAddress(bytes), prefix);
    }

    /// <summary>True when <paramref name="address"/> lies in this block (IPv4-mapped IPv6 addresses count as IPv4).</summary>
    public bool Contains(IPAddress address)
    {
        address = Normalize(address);
        if (address.AddressFamily != Network.AddressFamily) return false;
        byte[] bytes = address.GetAddressBytes();
        ClearHostBits(bytes, PrefixLength);
        return bytes.AsSpan().SequenceEqual(_network);
    }

    /// <summary>How many addresses the block holds (long.MaxValue when that does not fit: any IPv6 /65 or wider).</summary>
    public long Size
    {
        get
        {
            int hostBits = _network.Length * 8 - PrefixLength;
            return hostBits >= 63 ? long.MaxValue : 1L << hostBits;
        }
    }

    /// <summary>Every address of the block in order, network address and (IPv4) broadcast address included.</summary>
    public IEnumerable<IPAddress> Addresses()
    {
        byte[] current = (byte[])_network.Clone();
        for (long i = 0; i < Size; i++)
        {
            yield return new IPAddress(current);
            for (int b = current.Length - 1; b >= 0 && ++current[b] == 0; b--)
            {
            }
        }
    }

    /// <summary>IPv4-mapped IPv6 (<c>::ffff:1.2.3.4</c>, what a dual-stack listener sees) as plain IPv4.</summary>
    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <inheritdoc />
    public override string ToString() => Network + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture);

    private static void ClearHostBits(byte[] bytes, int prefix)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            int bitsHere = Math.Min(8, Math.Max(0, prefix - i * 8));
            bytes[i] &= (byte)(0xFF << (8 - bitsHere));
        }
    }
}
