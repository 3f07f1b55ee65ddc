namespace Nsock.Core;

/// <summary>A redirect that was followed: the URL that answered with it, its status and where it pointed.</summary>
public sealed record HttpRedirect(string Url, int Status, string Location);
