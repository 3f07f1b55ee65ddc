using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace Nsock.Core;

// The nsock file transfer protocol, version 2 (README: "File transfer protocol (version 2)"). All integers big-endian.
//   sender   -> "NSFT" u8 version(2) u8 flags(bit 0: resume)
//   receiver -> "NSFT" u8 version u8 status(0 ok: the version is the sender's; 1 version not supported: the newest it speaks)
//   per file:
//   sender   -> 'F' u16 pathLength, path (UTF-8, '/'-separated, relative) u64 size u32 mode (0xFFFFFFFF unknown) i64 mtime (unix ms, i64.Min unknown)
//               u8 digest (1 XXH3-128, 16 bytes; 2 SHA-256, 32 bytes; version 1 has no such byte: SHA-256)
//   receiver -> 'A' u64 offset (send from here; > 0 only when resuming)  |  'S' reason (skipped)  |  'N' reason (refused; also an unknown
//               digest, an empty, overlong or non-UTF-8 name, a size of 2^63 or more)
//   after 'A':
//   sender   -> the file's bytes [offset, size), then the digest of the whole file
//   receiver -> 'V' (verified, in place)  |  'X' reason (not stored)
//   at the end:
//   sender   -> 'E', then half-close; the receiver closes.
// A reason is u16 length + UTF-8. Everything the sender says is checked: lengths are bounded, paths validated.
// The receiver still takes version 1 senders (SHA-256, no digest byte); a version 1 receiver answers a version 2
// sender "not supported", which the sender reports as such.
internal static class FileTransferProtocol
{
    public const byte Version = 2;

    /// <summary>The oldest version a receiver still takes: 1, whose digest is always SHA-256.</summary>
    public const byte OldestVersion = 1;

    /// <summary>The status of a receiver's hello that refuses the sender's version.</summary>
    public const byte VersionNotSupported = 1;

    public const byte DigestXxh128 = 1, DigestSha256 = 2;
    public const byte FlagResume = 1;
    public const int MaxPathBytes = 4096;
    public static readonly byte[] Magic = { (byte)'N', (byte)'S', (byte)'F', (byte)'T' };

    public const byte File = (byte)'F', End = (byte)'E', Accept = (byte)'A', Skip = (byte)'S', Refuse = (byte)'N', Verified = (byte)'V', Failed = (byte)'X';

    public static void WriteHello(Stream s, byte flagsOrStatus, byte version = Version)
    {
        var b = new byte[6];
        Buffer.BlockCopy(Magic, 0, b, 0, 4);
        b[4] = version;
        b[5] = flagsOrStatus;
        s.Write(b, 0, b.Length);
    }

    /// <summary>Reads the hello; returns (version, flags-or-status).</summary>
    public static (byte Version, byte Flags) ReadHello(Stream s)
    {
        byte[] b = ReadExactly(s, 6, "greeting");
        for (int i = 0; i < 4; i++)
        {
            if (b[i] != Magic[i]) throw Protocol("the peer does not speak the nsock file protocol (no NSFT greeting)");
        }
        return (b[4], b[5]);
    }

    public static void WriteFileHeader(Stream s, string path, long size, uint mode, long mtime, FileHashAlgorithm algorithm)
    {
        byte[] name = Encoding.UTF8.GetBytes(path);
        // The length travels as a u16: a longer name would wrap and desynchronise the stream. The receiver refuses
        // anything over MaxPathBytes anyway, so say so here (found by ParserPropertyTests).
        if (name.Length == 0 || name.Length > MaxPathBytes)
            throw NsockException.BadInput($"the file name '{NsockText.Printable(path.Length > 60 ? path.Substring(0, 60) + "..." : path)}' is {name.Length} bytes as UTF-8; the protocol carries 1-{MaxPathBytes}");
        var b = new byte[1 + 2 + name.Length + 8 + 4 + 8 + 1];
        b[0] = File;
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(1), (ushort)name.Length);
        Buffer.BlockCopy(name, 0, b, 3, name.Length);
        int at = 3 + name.Length;
        BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(at), size);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at + 8), mode);
        BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(at + 12), mtime);
        b[at + 20] = algorithm == FileHashAlgorithm.SHA256 ? DigestSha256 : DigestXxh128;
        s.Write(b, 0, b.Length);
    }

    /// <summary>
    /// Reads the rest of a file header (after its 'F') of protocol <paramref name="version"/>, all of it, so the session
    /// can go on: a header the receiver cannot take (an empty name or one past <see cref="MaxPathBytes"/>, a name that
    /// is not UTF-8, a size of 2^63 or more) comes back with <c>Problem</c> saying why, for a refusal ('N'); the path is
    /// then as near as it can be shown. The digest is null when the sender named one this receiver does not know.
    /// </summary>
    public static (string Path, long Size, uint Mode, long MTime, FileHashAlgorithm? Algorithm, string? Problem) ReadFileHeader(Stream s, byte version)
    {
        int length = BinaryPrimitives.ReadUInt16BigEndian(ReadExactly(s, 2, "file header"));
        string? problem = null;
        string path;
        if (length == 0)
        {
            path = "";
            problem = "the file name is empty";
        }
        else if (length > MaxPathBytes)
        {
            // Read and dropped (at most 64 KiB, the u16's reach), so the session stays in step.
            byte[] start = ReadExactly(s, length, "file name");
            path = Encoding.UTF8.GetString(start, 0, 60) + "…";
            problem = $"the file name is {length} bytes long (at most {MaxPathBytes})";
        }
        else
        {
            byte[] name = ReadExactly(s, length, "file name");
            try
            {
                path = new UTF8Encoding(false, true).GetString(name);
            }
            catch (DecoderFallbackException)
            {
                path = Encoding.UTF8.GetString(name); // shown with U+FFFD where the bytes were not UTF-8
                problem = "the file name is not UTF-8";
            }
        }
        byte[] rest = ReadExactly(s, version >= 2 ? 21 : 20, "file header");
        long size = BinaryPrimitives.ReadInt64BigEndian(rest);
        if (size < 0)
        {
            problem ??= $"a size of {BinaryPrimitives.ReadUInt64BigEndian(rest)} bytes (at most {long.MaxValue})";
            size = 0;
        }
        FileHashAlgorithm? algorithm = version < 2 ? FileHashAlgorithm.SHA256 : rest[20] switch
        {
            DigestXxh128 => FileHashAlgorithm.XXH128,
            DigestSha256 => FileHashAlgorithm.SHA256,
            _ => null,
        };
        return (path, size, BinaryPrimitives.ReadUInt32BigEndian(rest.AsSpan(8)), BinaryPrimitives.ReadInt64BigEndian(rest.AsSpan(12)), algorithm, problem);
    }

    public static void WriteCode(Stream s, byte code, string? reason = null, long? number = null)
    {
        byte[] text = reason is null ? Array.Empty<byte>() : Encoding.UTF8.GetBytes(Cut(reason, 1000));
        var b = new byte[1 + (number is null ? 0 : 8) + (reason is null ? 0 : 2 + text.Length)];
        b[0] = code;
        int at = 1;
        if (number is long n)
        {
            BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(at), n);
            at += 8;
        }
        if (reason is not null)
        {
            BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(at), (ushort)text.Length);
            Buffer.BlockCopy(text, 0, b, at + 2, text.Length);
        }
        s.Write(b, 0, b.Length);
    }

    // At most max characters, never half of a surrogate pair (which UTF-8 would send as U+FFFD; found by ParserPropertyTests).
    private static string Cut(string text, int max)
    {
        if (text.Length <= max) return text;
        return text.Substring(0, char.IsHighSurrogate(text[max - 1]) ? max - 1 : max);
    }

    public static byte ReadCode(Stream s, string what) => ReadExactly(s, 1, what)[0];

    public static long ReadNumber(Stream s, string what) => BinaryPrimitives.ReadInt64BigEndian(ReadExactly(s, 8, what));

    public static string ReadReason(Stream s)
    {
        int length = BinaryPrimitives.ReadUInt16BigEndian(ReadExactly(s, 2, "reason"));
        return Encoding.UTF8.GetString(ReadExactly(s, length, "reason"));
    }

    public static byte[] ReadExactly(Stream s, int count, string what)
    {
        var b = new byte[count];
        int got = 0;
        while (got < count)
        {
            int n = s.Read(b, got, count - got);
            if (n == 0) throw new NsockException(NsockErrorKind.Io, $"the peer closed the connection in the middle of the {what}");
            got += n;
        }
        return b;
    }

    public static NsockException Protocol(string what) => new(NsockErrorKind.Io, "file transfer protocol error: " + what);
}
