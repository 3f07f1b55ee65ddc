namespace Nsock.Core;

/// <summary>
/// How a run serves its clients: the handler, how many clients it serves before it stops (null: until cancelled),
/// and whether the first client is the only one (the listening socket is closed once it is accepted, and the run's
/// result is that client's).
/// </summary>
internal sealed record ClientServing(IClientHandler Handler, long? Count, bool OnlyClient = false);
