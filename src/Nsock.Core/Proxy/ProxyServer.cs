using System;
using System.Net;
using System.Text;

namespace Nsock.Core;

/// <summary>
/// A proxy to connect through, parsed from <c>socks5://[user:pass@]host:port</c> (<c>socks5h://</c> is the same:
/// names are always resolved by the proxy) or <c>http://[user:pass@]host:port</c>. The password is kept for the
/// handshake only: <see cref="ToString"/>, used in every message and event, never shows it.
/// </summary>
internal sealed class ProxyServer
{
    private ProxyServer(ProxyKind kind, string host, int port, string? user, string? password)
    {
        Kind = kind;
        Host = host;
        Port = port;
        User = user;
        Password = password;
    }

    public ProxyKind Kind { get; }

    /// <summary>The proxy's host name or address (an IPv6 address without brackets); resolved here, not by the proxy.</summary>
    public string Host { get; }

    public int Port { get; }

    /// <summary>The user name to authenticate as; null: no authentication offered.</summary>
    public string? User { get; }

    public string? Password { get; }

    /// <summary>The endpoint of the proxy itself.</summary>
    public Endpoint Endpoint => new(Transport.Tcp, Host, Port);

    /// <summary>
    /// Parses <paramref name="text"/>; credentials come from its user info or from <paramref name="credential"/>
    /// (PowerShell's -ProxyCredential), not both. Bad text is named with <paramref name="option"/>.
    /// </summary>
    public static ProxyServer Parse(string text, NetworkCredential? credential, string option, string credentialOption)
    {
        string t = text.Trim();
        int sep = t.IndexOf("://", StringComparison.Ordinal);
        if (sep <= 0) throw Bad(option, text, "give socks5://host:port or http://host:port");
        string scheme = t.Substring(0, sep).ToLowerInvariant();
        ProxyKind kind = scheme switch
        {
            "socks5" or "socks5h" => ProxyKind.Socks5,
            "http" => ProxyKind.HttpConnect,
            "https" => throw Bad(option, text, "a TLS connection to the proxy itself (https://) is not supported; give socks5:// or http:// (TLS to the target still works through it)"),
            "socks4" or "socks4a" => throw Bad(option, text, "SOCKS4 is not supported; give socks5:// or http://"),
            _ => throw Bad(option, text, $"'{NsockText.Printable(scheme)}://' is not a proxy scheme; give socks5:// or http://"),
        };
        string rest = t.Substring(sep + 3);
        if (rest.EndsWith("/", StringComparison.Ordinal)) rest = rest.Substring(0, rest.Length - 1);
        if (rest.IndexOf('/') >= 0 || rest.IndexOf('?') >= 0 || rest.IndexOf('#') >= 0)
            throw Bad(option, text, "a proxy is scheme://host:port, without a path");

        string? user = null, password = null;
        int at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            string info = rest.Substring(0, at);
            rest = rest.Substring(at + 1);
            int colon = info.IndexOf(':');
            user = Unescape(colon < 0 ? info : info.Substring(0, colon));
            password = colon < 0 ? "" : Unescape(info.Substring(colon + 1));
            if (user.Length == 0) throw Bad(option, text, "the user name before '@' is empty");
            if (credential is not null) throw NsockException.BadInput($"give the proxy's user name and password in {option} or in {credentialOption}, not both");
        }
        else if (credential is not null)
        {
            user = credential.UserName ?? "";
            password = credential.Password ?? "";
            if (user.Length == 0) throw NsockException.BadInput($"{credentialOption} has no user name");
        }

        Endpoint ep;
        try
        {
            ep = EndpointParser.Parse(rest, Transport.Tcp);
        }
        catch (NsockException e) when (e.Kind == NsockErrorKind.BadInput)
        {
            throw Bad(option, text, "give host:port after the scheme (the port too: there is no default)");
        }
        if (ep.Transport != Transport.Tcp || ep.IsAnyHost || ep.Port == 0) throw Bad(option, text, "give host:port after the scheme (the port too: there is no default)");
        if (kind == ProxyKind.Socks5 && user is not null)
        {
            // RFC 1929: each is one length byte and at most 255 bytes.
            if (Encoding.UTF8.GetByteCount(user) > 255) throw NsockException.BadInput($"the SOCKS5 user name in {option} is longer than 255 bytes");
            if (Encoding.UTF8.GetByteCount(password!) > 255) throw NsockException.BadInput($"the SOCKS5 password in {option} is longer than 255 bytes");
        }
        return new ProxyServer(kind, ep.Host!, ep.Port, user, password);
    }

    /// <summary>The proxy as a URL with the password left out: safe for messages, -v lines and events.</summary>
    public override string ToString()
    {
        string scheme = Kind == ProxyKind.Socks5 ? "socks5" : "http";
        string who = User is null ? "" : Uri.EscapeDataString(User) + (Password is { Length: > 0 } ? ":***" : "") + "@";
        return scheme + "://" + who + ConnectTarget.Join(Host, Port);
    }

    // The text is left out of the message: it may hold a password.
    private static NsockException Bad(string option, string text, string why) =>
        NsockException.BadInput($"{option} '{NsockText.Printable(Redact(text))}' is not a proxy URL: {why}");

    /// <summary><paramref name="text"/> with anything between ':' and '@' of its user info replaced by ***.</summary>
    internal static string Redact(string text)
    {
        int sep = text.IndexOf("://", StringComparison.Ordinal);
        int start = sep < 0 ? 0 : sep + 3;
        int at = text.LastIndexOf('@');
        if (at < start) return text;
        int colon = text.IndexOf(':', start);
        return colon >= 0 && colon < at ? text.Substring(0, colon + 1) + "***" + text.Substring(at) : text;
    }

    private static string Unescape(string s)
    {
        try
        {
            return Uri.UnescapeDataString(s);
        }
        catch (UriFormatException)
        {
            return s;
        }
    }
}
