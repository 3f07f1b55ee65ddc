using System;
using System.Collections.Generic;
using System.Linq;

namespace Nsock.PowerShell;

/// <summary>Finds background listeners by id or by name (with a matcher, so wildcards stay the cmdlet's business).</summary>
internal static class ListenerLookup
{
    /// <summary>The listeners with these ids, and the ids no listener has.</summary>
    public static (IReadOnlyList<SocketListener> Found, IReadOnlyList<int> Missing) ById(IEnumerable<int> ids)
    {
        IReadOnlyList<SocketListener> all = ListenerRegistry.All();
        var found = new List<SocketListener>();
        var missing = new List<int>();
        foreach (int id in ids)
        {
            SocketListener? l = all.FirstOrDefault(x => x.Id == id);
            if (l is null) missing.Add(id);
            else if (!found.Contains(l)) found.Add(l);
        }
        return (found, missing);
    }

    /// <summary>The listeners whose name matches any pattern, and the patterns without wildcards that matched none.</summary>
    public static (IReadOnlyList<SocketListener> Found, IReadOnlyList<string> Missing) ByName(IEnumerable<string> patterns, Func<string, Func<string, bool>> matcher, Func<string, bool> hasWildcards)
    {
        IReadOnlyList<SocketListener> all = ListenerRegistry.All();
        var found = new List<SocketListener>();
        var missing = new List<string>();
        foreach (string pattern in patterns)
        {
            Func<string, bool> matches = matcher(pattern);
            var hits = all.Where(l => l.Name is not null && matches(l.Name)).ToList();
            if (hits.Count == 0 && !hasWildcards(pattern)) missing.Add(pattern);
            foreach (SocketListener l in hits)
            {
                if (!found.Contains(l)) found.Add(l);
            }
        }
        return (found.OrderBy(l => l.Id).ToList(), missing);
    }
}
