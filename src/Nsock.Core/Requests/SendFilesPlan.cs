using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

/// <summary>
/// A checked <see cref="SendFilesRequest"/>: the receiver, the files chosen (in order), how to connect and wait for
/// answers (<see cref="Options"/>), and, for a raw send, the options of the plain send (<see cref="RawOptions"/>).
/// </summary>
public sealed record SendFilesPlan(Endpoint Endpoint, IReadOnlyList<FileToSend> Files, FileSendOptions Options, SendOptions? RawOptions)
{
    /// <summary>True for one file's bytes to a plain byte sink, unverified.</summary>
    public bool Raw => RawOptions is not null;

    /// <summary>
    /// The plan with only the files <paramref name="include"/> says yes to, asked in order on the caller's thread
    /// (a cmdlet's ShouldProcess per file).
    /// </summary>
    public SendFilesPlan Only(Func<FileToSend, bool> include)
    {
        var chosen = new List<FileToSend>(Files.Count);
        foreach (FileToSend f in Files)
        {
            if (include(f)) chosen.Add(f);
        }
        return this with { Files = chosen };
    }

    /// <summary>
    /// Sends the files over one connection (nothing is opened when there are none). Verified: each
    /// <see cref="FileResult"/> is reported to <paramref name="sink"/> as it completes, a file that fails does not stop
    /// the next, and the outcome's error says how many did not arrive. Raw: the one result is returned, not reported.
    /// Connect and protocol failures throw.
    /// </summary>
    public async Task<SendFilesOutcome> RunAsync(IEventSink sink, CancellationToken ct)
    {
        if (Files.Count == 0) return new SendFilesOutcome(Array.Empty<FileResult>(), null);
        if (RawOptions is SendOptions raw)
        {
            FileResult sent = await FileSender.SendRawAsync(Endpoint, Files[0], raw, sink, ct).ConfigureAwait(false);
            return new SendFilesOutcome(new[] { sent }, null);
        }
        IReadOnlyList<FileResult> results = await FileSender.SendAsync(Endpoint, Files, Options, sink, ct).ConfigureAwait(false);
        int failed = 0;
        foreach (FileResult r in results) failed += r.Succeeded ? 0 : 1;
        return new SendFilesOutcome(results, failed == 0 ? null : new NsockException(NsockErrorKind.Io, $"{failed} of {results.Count} files did not arrive"));
    }
}
