using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

/// <summary>Name resolution with a timeout, a family filter, and one error kind for "no such name".</summary>
public static class NameResolver
{
    /// <summary>The default bound on one lookup; the OS resolver can otherwise stall for a long time.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Every address of <paramref name="host"/> in the resolver's order (RFC 6724 on most systems), filtered by
    /// <paramref name="version"/>. An address literal is returned as is, without asking the resolver.
    /// </summary>
    internal static async Task<IPAddress[]> ResolveAsync(string host, IpVersion version, TimeSpan timeout, CancellationToken ct)
    {
        ValidateName(host);
        if (IPAddress.TryParse(host, out IPAddress? literal))
        {
            if (!Matches(literal, version))
                throw NsockException.BadInput($"{host} is an {FamilyName(literal.AddressFamily)} address, but {VersionFlag(version)} was given");
            return new[] { literal };
        }

        IPAddress[] all = await LookupAsync(host, timeout, ct, static (h, c) => GetAddresses(h, c)).ConfigureAwait(false);
        var kept = new List<IPAddress>(all.Length);
        foreach (IPAddress a in all)
        {
            if (Matches(a, version) && !kept.Contains(a)) kept.Add(a);
        }
        IPAddress[] picked = kept.ToArray();
        if (picked.Length == 0)
        {
            string which = version == IpVersion.Any ? "" : version == IpVersion.V4 ? " IPv4" : " IPv6";
            throw new NsockException(NsockErrorKind.NameNotFound, $"name '{host}' has no{which} address");
        }
        return picked;
    }

    /// <summary>The canonical name, aliases and addresses of <paramref name="host"/>, like Python's gethostbyname_ex.</summary>
    public static async Task<HostInfo> LookupHostAsync(string host, IpVersion version, TimeSpan timeout, CancellationToken ct)
    {
        ValidateName(host);
        if (IPAddress.TryParse(host, out IPAddress? literal))
        {
            // An address is its own answer; asking the resolver would do a reverse lookup that may fail.
            IPAddress[] self = await ResolveAsync(host, version, timeout, ct).ConfigureAwait(false);
            return new HostInfo(host, literal.ToString(), Array.Empty<string>(), new[] { self[0].ToString() });
        }
        IPHostEntry entry = await LookupAsync(host, timeout, ct, static (h, c) => GetEntry(h, c)).ConfigureAwait(false);
        var texts = new List<string>(entry.AddressList.Length);
        foreach (IPAddress a in entry.AddressList)
        {
            if (Matches(a, version) && !texts.Contains(a.ToString())) texts.Add(a.ToString());
        }
        string[] addresses = texts.ToArray();
        if (addresses.Length == 0)
            throw new NsockException(NsockErrorKind.NameNotFound, $"name '{host}' has no{(version == IpVersion.V4 ? " IPv4" : version == IpVersion.V6 ? " IPv6" : "")} address");
        return new HostInfo(host, entry.HostName, entry.Aliases, addresses);
    }

    // An empty name would make the OS describe this machine, and one past DNS's length limit makes .NET throw
    // a bare ArgumentException: both are bad input.
    private static void ValidateName(string host)
    {
        if (string.IsNullOrWhiteSpace(host)) throw NsockException.BadInput("host name is empty");
        if (host.Length > 253 && !IPAddress.TryParse(host, out _))
            throw NsockException.BadInput($"host name is longer than 253 characters ('{host.Substring(0, 20)}...')");
    }

    internal static bool Matches(IPAddress a, IpVersion version) => version switch
    {
        IpVersion.V4 => a.AddressFamily == AddressFamily.InterNetwork,
        IpVersion.V6 => a.AddressFamily == AddressFamily.InterNetworkV6,
        _ => true,
    };

    private static string FamilyName(AddressFamily f) => f == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";

    private static string VersionFlag(IpVersion v) => v == IpVersion.V4 ? "-4 (IPv4 only)" : "-6 (IPv6 only)";

    private static async Task<T> LookupAsync<T>(string host, TimeSpan timeout, CancellationToken ct, Func<string, CancellationToken, Task<T>> lookup)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task<T> task = lookup(host, cts.Token);
        Task done = await Task.WhenAny(task, Task.Delay(timeout, cts.Token)).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        if (done != task)
        {
            cts.Cancel();
            _ = task.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default); // observe the late failure
            throw new NsockException(NsockErrorKind.TimedOut, $"looking up '{host}' timed out after {timeout.TotalSeconds:0.###}s");
        }
        cts.Cancel();
        try
        {
            return await task.ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new NsockException(NsockErrorKind.NameNotFound, $"name '{host}' not found ({e.Message})", e);
        }
    }

    private static Task<IPAddress[]> GetAddresses(string host, CancellationToken ct)
    {
#if NET
        return Dns.GetHostAddressesAsync(host, ct);
#else
        return Dns.GetHostAddressesAsync(host);
#endif
    }

    private static Task<IPHostEntry> GetEntry(string host, CancellationToken ct)
    {
#if NET
        return Dns.GetHostEntryAsync(host, ct);
#else
        return Dns.GetHostEntryAsync(host);
#endif
    }
}
