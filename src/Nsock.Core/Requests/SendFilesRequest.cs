using System;
using System.Collections.Generic;
using System.IO;

namespace Nsock.Core;

/// <summary>
/// Files, folders and globs to a receiver (<c>nsock listen --receive-files</c>, <c>New-SocketListener -ReceiveFiles</c>),
/// each verified by its digest (XXH3-128 unless <see cref="Hash"/> asks for SHA-256); or, with <see cref="Raw"/>, one file's bytes to a plain byte sink (<c>nsock send-file</c>,
/// <c>Send-File</c>). <see cref="Validate"/> checks it and expands the paths into the plan that runs.
/// </summary>
public sealed record SendFilesRequest
{
    /// <summary>Seconds the receiver may take to answer (it hashes and renames between files) when no timeout is given.</summary>
    public const double DefaultAnswerTimeoutSeconds = 60;

    /// <summary>
    /// The receiver, over a stream (tcp or unix). Its timeout bounds the connect (default 10 s) and the receiver's
    /// answers (default <see cref="DefaultAnswerTimeoutSeconds"/>; raw: the wait for the peer after sending, default 10 s); 0: never.
    /// </summary>
    public ConnectTarget Target { get; init; } = new();

    /// <summary>Files (sent under their name), folders (recursively, under their own name) and globs (<c>*</c>, <c>?</c>, <c>**</c>).</summary>
    public IReadOnlyList<string> Paths { get; init; } = Array.Empty<string>();

    /// <summary>Globs of files to leave out (matched against the path the receiver gets); null or empty: none.</summary>
    public IReadOnlyList<string>? Exclude { get; init; }

    /// <summary>Where relative paths and globs start; null: the process's current directory.</summary>
    public string? CurrentFolder { get; init; }

    /// <summary>Ask the receiver to continue files it holds a partial of; the whole file is still verified.</summary>
    public bool Resume { get; init; }

    /// <summary>The digest that verifies each file when none is asked for: XXH3-128 (catches accidental corruption at memory speed).</summary>
    public const FileHashAlgorithm DefaultHash = FileHashAlgorithm.XXH128;

    /// <summary>The digest that verifies each file; null: <see cref="DefaultHash"/>. Not with <see cref="Raw"/> (nothing is verified).</summary>
    public FileHashAlgorithm? Hash { get; init; }

    /// <summary>The words a face may take for <see cref="Hash"/> (any case): <c>xxh128</c> (also <c>xxh3</c>) and <c>sha256</c>.</summary>
    public static IReadOnlyList<string> HashNames { get; } = new[] { "xxh128", "sha256" };

    /// <summary>
    /// The digest a word names (<see cref="HashNames"/>, any case; <c>xxh3</c>, <c>xxh3-128</c> and <c>sha-256</c> too); null or
    /// empty: null (the default). Anything else is <see cref="NsockErrorKind.BadInput"/> naming <see cref="NsockOption.Hash"/>.
    /// </summary>
    public static FileHashAlgorithm? ParseHash(string? text, IOptionNames names)
    {
        if (string.IsNullOrEmpty(text)) return null;
        switch (text!.Trim().ToLowerInvariant())
        {
            case "xxh128":
            case "xxh3":
            case "xxh3-128":
                return FileHashAlgorithm.XXH128;
            case "sha256":
            case "sha-256":
                return FileHashAlgorithm.SHA256;
            default:
                throw NsockException.BadInput($"{names.Option(NsockOption.Hash)} takes {string.Join(" or ", HashNames)}, not '{text}'");
        }
    }

    /// <summary>Just the bytes of exactly one file, then a half-close; nothing verified, no resume.</summary>
    public bool Raw { get; init; }

    /// <summary>
    /// Checks what does not depend on the paths (the receiver, the timeout, the address family, <see cref="Raw"/> with
    /// <see cref="Resume"/>), so a face can refuse bad options before its paths arrive; gives the receiver's endpoint.
    /// <see cref="Validate"/> checks these too.
    /// </summary>
    public Endpoint ValidateOptions(IOptionNames names) => Options(names).Endpoint;

    /// <summary>
    /// Checks every value (named as <paramref name="names"/> spells them) and chooses the files, before anything is
    /// opened. All of it is <see cref="NsockErrorKind.BadInput"/>; a path that does not exist is reported before any
    /// glob is expanded, with a <see cref="FileNotFoundException"/> naming its full path as the inner exception, so a face
    /// can report it as its own kind of not-found.
    /// </summary>
    public SendFilesPlan Validate(IOptionNames names)
    {
        (Endpoint ep, FileSendOptions verified, SendOptions? raw) = Options(names);
        IReadOnlyList<FileToSend> files = FileSelection.Expand(Paths, Exclude, CurrentFolder ?? Directory.GetCurrentDirectory());
        if (Raw && files.Count != 1)
            throw NsockException.BadInput($"{names.Option(NsockOption.Raw)} sends exactly one file; these name {files.Count}");
        return new SendFilesPlan(ep, files, verified, raw);
    }

    private (Endpoint Endpoint, FileSendOptions Verified, SendOptions? Raw) Options(IOptionNames names)
    {
        (Endpoint ep, TlsClient? tls) = Target.ParseTlsEndpoint(names, Transport.Tcp, null);
        if (ep.Transport == Transport.Udp) throw NsockException.BadInput(FileSender.StreamOnly);
        Connector.ValidateForConnect(ep);
        ConnectOptions connect = Target.ConnectOptions(names);
        if (Raw && Resume)
            throw NsockException.BadInput($"{names.Option(NsockOption.Raw)} has no resume: the far side is a plain byte sink");
        if (Raw && Hash is not null)
            throw NsockException.BadInput($"{names.Option(NsockOption.Raw)} verifies nothing, so it takes no {names.Option(NsockOption.Hash)}");
        var verified = new FileSendOptions
        {
            Connect = connect,
            Resume = Resume,
            Hash = Hash ?? DefaultHash,
            Timeout = Target.ExplicitTimeout(names) ?? TimeSpan.FromSeconds(DefaultAnswerTimeoutSeconds),
            Tls = tls,
        };
        SendOptions? raw = Raw
            ? new SendOptions { Connect = connect, ReplyTimeout = Target.TimeoutOrDefault(names) ?? System.Threading.Timeout.InfiniteTimeSpan, Tls = tls }
            : null;
        return (ep, verified, raw);
    }
}
