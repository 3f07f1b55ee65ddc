using System;
using System.Collections.Generic;

namespace Nsock.Core;

/// <summary>
/// One look of a watch: every socket that matches now, and what changed since the last look (empty when nothing
/// did). A terminal view redraws <see cref="Current"/> each look; a script follows <see cref="Changes"/>.
/// </summary>
/// <param name="Current">The sockets that match now, in the order the system lists them.</param>
/// <param name="Changes">Since the last look (the first look: every socket, as <see cref="ConnectionChangeKind.Listed"/>).</param>
/// <param name="Time">When the look was taken.</param>
public sealed record ConnectionSweep(IReadOnlyList<SocketConnection> Current, IReadOnlyList<ConnectionChange> Changes, DateTimeOffset Time);
