using System;
using System.Collections.Generic;
using System.Linq;

namespace Nsock.PowerShell.Tests;

/// <summary>
/// The module assembly and the engine, read once for all metadata tests: the cmdlets, and a way to tell whether a
/// type name is real (defined by the module or the engine, or a framework type a cmdlet may output).
/// </summary>
internal static class ModuleUnderTest
{
    private static readonly Lazy<IReadOnlyList<CmdletModel>> s_cmdlets = new(() =>
    {
        using var md = new Metadata(Repo.ModuleAssembly);
        return CmdletModel.Read(md);
    });

    private static readonly Lazy<HashSet<string>> s_types = new(() =>
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (string path in new[] { Repo.ModuleAssembly, Repo.EngineAssembly })
        {
            using var md = new Metadata(path);
            foreach ((string name, var type, _) in md.Types())
            {
                if ((type.Attributes & System.Reflection.TypeAttributes.VisibilityMask) == System.Reflection.TypeAttributes.Public) names.Add(name);
            }
        }
        return names;
    });

    public static IReadOnlyList<CmdletModel> Cmdlets => s_cmdlets.Value;

    public static CmdletModel Cmdlet(string name) => Cmdlets.Single(c => c.Name == name);

    /// <summary>Public types of the module and the engine, by full name.</summary>
    public static IReadOnlySet<string> PublicTypes => s_types.Value;

    /// <summary>The properties a type has, its bases in the same assembly included (for format views).</summary>
    public static IReadOnlyList<string> PropertiesOf(string typeName)
    {
        foreach (string path in new[] { Repo.ModuleAssembly, Repo.EngineAssembly })
        {
            using var md = new Metadata(path);
            var type = md.Find(typeName);
            if (type is null) continue;
            return md.SelfAndBases(type.Value).SelectMany(t => md.Properties(t)).Select(p => p.Name).Distinct().ToList();
        }
        return Array.Empty<string>();
    }
}
