using System;
using System.Collections.Generic;
using System.Linq;

namespace Nsock.PowerShell;

/// <summary>Finds listeners by id or by name among a session's (with a matcher, so wildcards stay the cmdlet's business).</summary>
internal static class ListenerLookup
{
    /// <summary>The listeners with these ids, and the ids no listener has.</summary>
    public static (IReadOnlyList<T> Found, IReadOnlyList<int> Missing) ById<T>(IReadOnlyList<T> all, Func<T, int> idOf, IEnumerable<int> ids) where T : class
    {
        var found = new List<T>();
        var missing = new List<int>();
        foreach (int id in ids)
        {
            T? l = all.FirstOrDefault(x => idOf(x) == id);
            if (l is null) missing.Add(id);
            else if (!found.Contains(l)) found.Add(l);
        }
        return (found, missing);
    }

    /// <summary>The listeners whose name matches any pattern (in the order of <paramref name="all"/>), and the patterns without wildcards that matched none.</summary>
    public static (IReadOnlyList<T> Found, IReadOnlyList<string> Missing) ByName<T>(IReadOnlyList<T> all, Func<T, string?> nameOf, IEnumerable<string> patterns, Func<string, Func<string, bool>> matcher, Func<string, bool> hasWildcards) where T : class
    {
        var hit = new HashSet<T>();
        var missing = new List<string>();
        foreach (string pattern in patterns)
        {
            Func<string, bool> matches = matcher(pattern);
            var hits = all.Where(l => nameOf(l) is string n && matches(n)).ToList();
            if (hits.Count == 0 && !hasWildcards(pattern)) missing.Add(pattern);
            hit.UnionWith(hits);
        }
        return (all.Where(hit.Contains).ToList(), missing);
    }
}
