using System;

namespace Nsock.Core;

/// <summary>How a relay between a socket and an input/output pair behaves at its ends.</summary>
public sealed record RelayOptions
{
    /// <summary>The default buffer: big enough that a syscall moves a lot, as socat -b 1048576 does.</summary>
    public const int DefaultBufferSize = 1024 * 1024;

    /// <summary>Which way bytes move.</summary>
    public RelayDirection Direction { get; init; } = RelayDirection.Both;

    /// <summary>Shut down the socket's write side when input ends (half-close), so the peer sees end of stream.</summary>
    public bool ShutdownOnInputEnd { get; init; } = true;

    /// <summary>End as soon as the peer closes, without waiting for input to end (interactive use).</summary>
    public bool StopWhenPeerCloses { get; init; }

    /// <summary>
    /// When the peer has closed and the input has then given nothing for this long (a pipe that stays open:
    /// <c>tail -f log | nsock connect</c>), end the relay as socat does (-t 0.5). Input still flowing is never
    /// cut off. Null (a listener's relay: its client may half-close and still want what the input will bring):
    /// wait for the input to end. Connect and send use <see cref="DefaultPeerClosedGrace"/>.
    /// </summary>
    public TimeSpan? PeerClosedGrace { get; init; }

    /// <summary>Half a second, as socat's -t.</summary>
    public static readonly TimeSpan DefaultPeerClosedGrace = TimeSpan.FromSeconds(0.5);

    /// <summary>After input ends, end the relay at most this long later even if the peer is still open (nc -q). Null: wait for the peer.</summary>
    public TimeSpan? WaitAfterInputEnds { get; init; }

    /// <summary>
    /// When nothing is left to send (input ended, or receive-only), give up after the peer has been silent this
    /// long. Null waits forever. While input is still open the relay never times out: the user is driving.
    /// </summary>
    public TimeSpan? IdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Bytes per read; one buffer per direction, rented once per relay (see <see cref="ReleaseBufferWhenIdle"/>).</summary>
    public int BufferSize { get; init; } = DefaultBufferSize;

    /// <summary>Turn each bare LF of the input into CR LF on the wire (--crlf, nc -C); a CR LF already there stays as it is.</summary>
    public bool Crlf { get; init; }

    /// <summary>Send the input a line at a time with this pause before each line after the first (--delay, nc -i). Null: as it comes.</summary>
    public TimeSpan? LineDelay { get; init; }

    /// <summary>Record both directions as a hex dump in this file (--hex-dump, ncat -x).</summary>
    public string? HexDumpPath { get; init; }

    /// <summary>Record both directions, as they are, in this file (--output, ncat -o).</summary>
    public string? OutputPath { get; init; }

    /// <summary>
    /// No byte either way for this long closes the relay (a listener's --idle-timeout), whether or not input is
    /// still open. Null: only <see cref="IdleTimeout"/> applies.
    /// </summary>
    public TimeSpan? InactivityTimeout { get; init; }

    /// <summary>
    /// A forward: read each stream socket into a buffer taken only while bytes are waiting and given back as soon as
    /// none are queued (RelayBuffer), so an idle connection holds none whatever <see cref="BufferSize"/> is.
    /// </summary>
    internal bool ReleaseBufferWhenIdle { get; init; }

    /// <summary>
    /// A forward may move the bytes socket to socket with splice(2) (Linux). False when an end is on this host: the
    /// local reader then pays for pages no copy has warmed (PeerLocation).
    /// </summary>
    internal bool Splice { get; init; } = true;

    /// <summary>A recorder the caller owns and shares (a listener's, for all its clients), instead of one opened from the paths.</summary>
    internal SessionRecorder? Recorder { get; init; }

    /// <summary>The client number recorded in each chunk's header (0: the one peer of a connect).</summary>
    internal long ClientId { get; init; }
}
