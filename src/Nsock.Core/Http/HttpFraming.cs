namespace Nsock.Core;

/// <summary>How a response's body was delimited (<see cref="HttpResponse.Framing"/>); printed as the header names it (<see cref="NsockText"/>).</summary>
public enum HttpFraming
{
    /// <summary>No body: a response to HEAD, or a 101, 204 or 304.</summary>
    None,

    /// <summary>Transfer-Encoding: chunked.</summary>
    Chunked,

    /// <summary>Content-Length.</summary>
    ContentLength,

    /// <summary>Neither: the body ran until the server closed the connection.</summary>
    Close,
}
