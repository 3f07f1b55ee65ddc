using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;

namespace Nsock.PowerShell.Tests;

/// <summary>One [Parameter] attribute of a parameter: the set it applies to (null: every set) and how it binds there.</summary>
internal sealed record ParameterBinding(string? Set, bool Mandatory, int? Position, bool FromPipeline, bool FromPipelineByPropertyName);

/// <summary>A cmdlet parameter as the assembly declares it.</summary>
internal sealed record ParameterModel(string Name, string Type, IReadOnlyList<ParameterBinding> Bindings, IReadOnlyList<string> Aliases, bool SupportsWildcards)
{
    public bool InSet(string set) => Bindings.Any(b => b.Set is null || b.Set == set);

    public ParameterBinding? For(string set) => Bindings.FirstOrDefault(b => b.Set == set) ?? Bindings.FirstOrDefault(b => b.Set is null);
}

/// <summary>A cmdlet as the assembly declares it: verb, noun, sets, output types, parameters, base chain.</summary>
internal sealed record CmdletModel(
    string TypeName,
    string Verb,
    string Noun,
    string? DefaultParameterSet,
    bool SupportsShouldProcess,
    bool IsPublic,
    bool IsSealed,
    IReadOnlyList<string> BaseChain,
    IReadOnlyList<(string Type, string? Set)> OutputTypes,
    IReadOnlyList<ParameterModel> Parameters)
{
    public const string AllSets = "__AllParameterSets";

    public string Name => Verb + "-" + Noun;

    /// <summary>The named parameter sets (none when every parameter is in all sets).</summary>
    public IReadOnlyList<string> Sets => Parameters.SelectMany(p => p.Bindings).Select(b => b.Set).OfType<string>().Distinct().OrderBy(s => s, StringComparer.Ordinal).ToList();

    public ParameterModel? Parameter(string name) => Parameters.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads every cmdlet ([Cmdlet] class) of an assembly.</summary>
    public static IReadOnlyList<CmdletModel> Read(Metadata md)
    {
        var cmdlets = new List<CmdletModel>();
        foreach ((string name, TypeDefinition type, _) in md.Types())
        {
            CustomAttributeValue<string>? cmdlet = md.Attributes(type.GetCustomAttributes(), "System.Management.Automation.CmdletAttribute").Cast<CustomAttributeValue<string>?>().FirstOrDefault();
            if (cmdlet is not CustomAttributeValue<string> c) continue;
            var outputs = new List<(string, string?)>();
            foreach (CustomAttributeValue<string> o in md.Attributes(type.GetCustomAttributes(), "System.Management.Automation.OutputTypeAttribute"))
            {
                string? set = Named(o, "ParameterSetName") as string;
                foreach (CustomAttributeTypedArgument<string> arg in (ImmutableArray<CustomAttributeTypedArgument<string>>)o.FixedArguments[0].Value!)
                    outputs.Add(((string)arg.Value!, set));
            }
            var parameters = new List<ParameterModel>();
            foreach (TypeDefinition t in md.SelfAndBases(type))
            {
                foreach ((string pname, string ptype, PropertyDefinition prop) in md.Properties(t))
                {
                    var bindings = md.Attributes(prop.GetCustomAttributes(), "System.Management.Automation.ParameterAttribute").Select(a => new ParameterBinding(
                        Named(a, "ParameterSetName") as string,
                        Named(a, "Mandatory") is true,
                        Named(a, "Position") is int pos ? pos : null,
                        Named(a, "ValueFromPipeline") is true,
                        Named(a, "ValueFromPipelineByPropertyName") is true)).ToList();
                    // An override in a derived cmdlet replaces the base declaration (SelfAndBases starts at the cmdlet itself).
                    if (bindings.Count == 0 || parameters.Any(x => x.Name == pname)) continue;
                    var aliases = md.Attributes(prop.GetCustomAttributes(), "System.Management.Automation.AliasAttribute")
                        .SelectMany(a => (ImmutableArray<CustomAttributeTypedArgument<string>>)a.FixedArguments[0].Value!).Select(v => (string)v.Value!).ToList();
                    bool wildcards = md.Attributes(prop.GetCustomAttributes(), "System.Management.Automation.SupportsWildcardsAttribute").Any();
                    parameters.Add(new ParameterModel(pname, ptype, bindings, aliases, wildcards));
                }
            }
            TypeAttributes visibility = type.Attributes & TypeAttributes.VisibilityMask;
            cmdlets.Add(new CmdletModel(
                name,
                (string)c.FixedArguments[0].Value!,
                (string)c.FixedArguments[1].Value!,
                Named(c, "DefaultParameterSetName") as string,
                Named(c, "SupportsShouldProcess") is true,
                visibility == TypeAttributes.Public,
                (type.Attributes & TypeAttributes.Sealed) != 0,
                md.BaseChain(type).ToList(),
                outputs,
                parameters));
        }
        return cmdlets.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    private static object? Named(CustomAttributeValue<string> a, string name) =>
        a.NamedArguments.FirstOrDefault(n => n.Name == name).Value;
}
