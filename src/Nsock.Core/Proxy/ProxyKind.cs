namespace Nsock.Core;

/// <summary>Which protocol a proxy speaks.</summary>
internal enum ProxyKind
{
    /// <summary>SOCKS5 (RFC 1928), with user/password authentication (RFC 1929) when credentials are given.</summary>
    Socks5,

    /// <summary>An HTTP proxy's CONNECT method (RFC 9110 9.3.6), with Basic Proxy-Authorization when credentials are given.</summary>
    HttpConnect,
}
