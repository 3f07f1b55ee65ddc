using System;
using System.Buffers.Binary;

namespace Nsock.Core;

// The UDP ping probe on the wire: "NSPG" u32 session u32 sequence (big-endian), then filler up to the asked size.
// An echo sends it back as it came; anything else that arrives (another session's reply, a stray datagram, a
// truncated one) is not an answer. Kept apart from the session so the parser can be tested and fuzzed alone.
internal static class PingPacket
{
    private static readonly byte[] Magic = { (byte)'N', (byte)'S', (byte)'P', (byte)'G' };
    private static readonly byte[] DefaultFill = { (byte)'n', (byte)'s', (byte)'o', (byte)'c', (byte)'k' };

    /// <summary>A probe of <paramref name="size"/> bytes (at least the header) for <paramref name="session"/>, sequence 0, filled with <paramref name="payload"/> repeated.</summary>
    public static byte[] Build(uint session, int size, byte[]? payload)
    {
        if (size < PingOptions.HeaderSize) throw new ArgumentOutOfRangeException(nameof(size), size, "a probe holds at least its header");
        var probe = new byte[size];
        Buffer.BlockCopy(Magic, 0, probe, 0, 4);
        BinaryPrimitives.WriteUInt32BigEndian(probe.AsSpan(4), session);
        byte[] fill = payload is { Length: > 0 } p ? p : DefaultFill;
        for (int i = PingOptions.HeaderSize, j = 0; i < probe.Length; i++, j = (j + 1) % fill.Length) probe[i] = fill[j];
        return probe;
    }

    /// <summary>Writes the sequence number into a probe built by <see cref="Build"/>.</summary>
    public static void WriteSequence(byte[] probe, uint sequence) => BinaryPrimitives.WriteUInt32BigEndian(probe.AsSpan(8), sequence);

    /// <summary>The sequence number of a datagram that is a reply to <paramref name="session"/>'s probes; false for anything else. Never throws.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, uint session, out uint sequence)
    {
        sequence = 0;
        if (datagram.Length < PingOptions.HeaderSize || !datagram.Slice(0, 4).SequenceEqual(Magic) || BinaryPrimitives.ReadUInt32BigEndian(datagram.Slice(4)) != session)
            return false;
        sequence = BinaryPrimitives.ReadUInt32BigEndian(datagram.Slice(8));
        return true;
    }
}
