using System;
using System.CommandLine;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary>What every command reads the same way: global options, the endpoint and its transport, the reporter.</summary>
internal sealed class CommandContext
{
    private readonly ParseResult _parse;
    private readonly GlobalOptions _global;

    public CommandContext(ParseResult parse, GlobalOptions global, ConsoleIo io)
    {
        _parse = parse;
        _global = global;
        Io = io;
    }

    public ConsoleIo Io { get; }

    public bool Json => _parse.GetValue(_global.Json);

    public bool Verbose => _parse.GetValue(_global.Verbose);

    /// <summary>The --timeout value; null when it is 0 (never time out).</summary>
    public TimeSpan? Timeout
    {
        get
        {
            double seconds = _parse.GetValue(_global.Timeout);
            return seconds == 0 ? null : TimeSpan.FromSeconds(seconds);
        }
    }


    public IpVersion IpVersion
    {
        get
        {
            bool v4 = _parse.GetValue(_global.IPv4), v6 = _parse.GetValue(_global.IPv6);
            if (v4 && v6) throw new NsockException(NsockErrorKind.BadInput, "-4 and -6 exclude each other: give one");
            return v4 ? IpVersion.V4 : v6 ? IpVersion.V6 : IpVersion.Any;
        }
    }


    /// <summary>The --timeout value only when the user gave it (0 included); null when defaulted.</summary>
    public double? GivenTimeout => _parse.GetResult(_global.Timeout) is { Implicit: false } ? _parse.GetValue(_global.Timeout) : null;

    /// <summary>-4 was given.</summary>
    public bool IPv4 => _parse.GetValue(_global.IPv4);

    /// <summary>-6 was given.</summary>
    public bool IPv6 => _parse.GetValue(_global.IPv6);

    /// <summary>
    /// The endpoint argument and the global options as an engine request target: the timeout only when given (the
    /// request applies its default), -4/-6 as flags (the request checks they exclude each other).
    /// </summary>
    public ConnectTarget Target(string endpoint, bool udp = false) => new()
    {
        Endpoint = endpoint,
        Udp = udp,
        Timeout = GivenTimeout,
        IPv4 = IPv4,
        IPv6 = IPv6,
        Proxy = Proxy,
    };

    /// <summary>The --proxy URL of a command that takes it; null when not given (or not taken).</summary>
    public string? Proxy { get; init; }

    public Reporter Reporter(bool stdoutCarriesData) => new(Io, Json, Verbose, stdoutCarriesData);

    public T? Get<T>(Option<T> option) => _parse.GetValue(option);

    /// <summary>True when the user gave <paramref name="option"/> (not its default).</summary>
    public bool Given(Option option) => _parse.GetResult(option) is { Implicit: false };

    public T? Get<T>(Argument<T> argument) => _parse.GetValue(argument);
}
