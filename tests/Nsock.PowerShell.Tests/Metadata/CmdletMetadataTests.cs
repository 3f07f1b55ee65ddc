using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace Nsock.PowerShell.Tests;

/// <summary>The cmdlets as the built assembly declares them, read without PowerShell.</summary>
public sealed class CmdletMetadataTests
{
    public static TheoryData<string> CmdletNames()
    {
        var data = new TheoryData<string>();
        foreach (CmdletModel c in ModuleUnderTest.Cmdlets) data.Add(c.Name);
        return data;
    }

    [Fact]
    public void The_module_has_the_cmdlets_of_the_issue()
    {
        Assert.Equal(
            new[] { "Get-HttpRaw", "Get-SocketConnection", "Get-SocketListener", "Invoke-UdpPing", "New-SocketListener", "Receive-SocketData", "Send-File", "Send-SocketData", "Stop-SocketListener", "Test-SocketPort" },
            ModuleUnderTest.Cmdlets.Select(c => c.Name));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Verb_is_an_approved_PowerShell_verb(string name) =>
        Assert.Contains(ModuleUnderTest.Cmdlet(name).Verb, SmaReference.ApprovedVerbs);

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Cmdlet_is_a_public_sealed_PSCmdlet(string name)
    {
        CmdletModel c = ModuleUnderTest.Cmdlet(name);
        Assert.True(c.IsPublic && c.IsSealed, c.TypeName + " must be public and sealed");
        Assert.Contains("System.Management.Automation.PSCmdlet", c.BaseChain);
        Assert.EndsWith(c.Verb + c.Noun + "Command", c.TypeName);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Cmdlet_declares_output_types_that_exist(string name)
    {
        CmdletModel c = ModuleUnderTest.Cmdlet(name);
        Assert.NotEmpty(c.OutputTypes);
        foreach ((string type, string? set) in c.OutputTypes)
        {
            Assert.True(ModuleUnderTest.PublicTypes.Contains(type) || type == "System.Boolean", $"[OutputType] {type} of {name} is not a public type of the module or the engine");
            if (set is not null) Assert.Contains(set, c.Sets);
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Default_parameter_set_is_one_of_the_sets(string name)
    {
        CmdletModel c = ModuleUnderTest.Cmdlet(name);
        if (c.Sets.Count <= 1 && c.DefaultParameterSet is null) return;
        Assert.NotNull(c.DefaultParameterSet);
        Assert.Contains(c.DefaultParameterSet!, c.Sets);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Every_parameter_set_can_be_told_apart_by_a_parameter_of_its_own(string name)
    {
        CmdletModel c = ModuleUnderTest.Cmdlet(name);
        if (c.Sets.Count <= 1) return;
        foreach (string set in c.Sets)
        {
            bool own = c.Parameters.Any(p => p.Bindings.All(b => b.Set == set));
            bool distinct = c.Sets.Where(s => s != set).All(other => c.Parameters.Any(p => p.InSet(set) != p.InSet(other)));
            Assert.True(own || distinct, $"{name}: set {set} has no parameter that tells it from the others");
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Positions_in_each_set_are_unique_and_start_at_zero(string name)
    {
        CmdletModel c = ModuleUnderTest.Cmdlet(name);
        foreach (string set in c.Sets.DefaultIfEmpty(CmdletModel.AllSets))
        {
            int[] positions = c.Parameters.Where(p => set == CmdletModel.AllSets || p.InSet(set))
                .Select(p => set == CmdletModel.AllSets ? p.Bindings[0] : p.For(set)!).Where(b => b.Position is not null).Select(b => b.Position!.Value).OrderBy(x => x).ToArray();
            Assert.Equal(Enumerable.Range(0, positions.Length), positions);
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void At_most_one_parameter_per_set_takes_pipeline_input_by_value(string name)
    {
        CmdletModel c = ModuleUnderTest.Cmdlet(name);
        foreach (string set in c.Sets.DefaultIfEmpty(CmdletModel.AllSets))
        {
            var byValue = c.Parameters.Where(p => (set == CmdletModel.AllSets ? p.Bindings[0] : p.For(set))?.FromPipeline == true).Select(p => p.Name).ToList();
            Assert.True(byValue.Count <= 1, $"{name} set {set}: {string.Join(", ", byValue)} all take pipeline input by value");
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void A_parameter_is_either_in_every_set_or_in_named_sets_not_both(string name)
    {
        foreach (ParameterModel p in ModuleUnderTest.Cmdlet(name).Parameters)
        {
            Assert.False(p.Bindings.Any(b => b.Set is null) && p.Bindings.Count > 1, $"{name} -{p.Name} mixes [Parameter] for every set with set-specific ones");
            Assert.Equal(p.Bindings.Count, p.Bindings.Select(b => b.Set).Distinct().Count());
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Mandatory_parameters_are_mandatory_in_a_set_of_their_own_or_in_every_set_they_are_in(string name)
    {
        CmdletModel c = ModuleUnderTest.Cmdlet(name);
        foreach (ParameterModel p in c.Parameters.Where(p => p.Bindings.Any(b => b.Mandatory)))
        {
            // A parameter mandatory in one set and optional in another is legal, but here it would mean a set
            // that is reachable only by leaving the parameter out: say so in the set names instead.
            Assert.True(p.Bindings.All(b => b.Mandatory), $"{name} -{p.Name} is mandatory in some sets only");
        }
        foreach (string set in c.Sets)
        {
            Assert.True(c.Parameters.Any(p => p.For(set)?.Mandatory == true) || set == c.DefaultParameterSet,
                $"{name}: set {set} has no mandatory parameter, so PowerShell cannot choose it over the default");
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Parameter_names_and_aliases_are_unique_and_leave_the_common_parameters_alone(string name)
    {
        CmdletModel c = ModuleUnderTest.Cmdlet(name);
        var all = c.Parameters.SelectMany(p => p.Aliases.Prepend(p.Name)).ToList();
        Assert.Equal(all.Count, all.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (string n in all) Assert.DoesNotContain(n, SmaReference.CommonParameters, StringComparer.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Switches_are_SwitchParameter_not_bool(string name)
    {
        foreach (ParameterModel p in ModuleUnderTest.Cmdlet(name).Parameters)
            Assert.NotEqual("System.Boolean", p.Type);
    }

    [Theory]
    [InlineData("New-SocketListener")]
    [InlineData("Receive-SocketData")]
    [InlineData("Get-HttpRaw")]
    [InlineData("Send-File")]
    [InlineData("Stop-SocketListener")]
    public void Cmdlets_that_write_files_or_stop_things_support_WhatIf_and_Confirm(string name) =>
        Assert.True(ModuleUnderTest.Cmdlet(name).SupportsShouldProcess, name + " writes files (or stops listeners) and must support ShouldProcess");

    [Theory]
    [InlineData("Send-SocketData")]
    [InlineData("Receive-SocketData")]
    [InlineData("Invoke-UdpPing")]
    [InlineData("Send-File")]
    public void Connecting_cmdlets_take_ComputerName_and_Port_by_position_and_property_name_and_Endpoint_by_name(string name)
    {
        // One declaration (NsockConnectionCmdlet) for every connecting cmdlet: host and port by position in every
        // set, so "Cmdlet host port -LiteralPath x" never meets an -Endpoint competing for position 0.
        CmdletModel c = ModuleUnderTest.Cmdlet(name);
        ParameterModel h = c.Parameter("ComputerName")!, p = c.Parameter("Port")!, e = c.Parameter("Endpoint")!;
        Assert.All(h.Bindings, b => Assert.Equal(0, b.Position));
        Assert.All(p.Bindings, b => Assert.Equal(1, b.Position));
        Assert.All(e.Bindings, b => Assert.Null(b.Position));
        Assert.All(h.Bindings.Concat(p.Bindings).Concat(e.Bindings), b => Assert.True(b.FromPipelineByPropertyName));
        Assert.All(h.Bindings.Concat(p.Bindings).Concat(e.Bindings), b => Assert.Null(b.Set));
        Assert.Contains("RemoteAddress", h.Aliases);
        Assert.Contains("TargetName", h.Aliases);
        Assert.Contains("RemotePort", p.Aliases);
    }

    [Theory]
    [InlineData("Send-SocketData", "InputObject")]
    [InlineData("Send-File", "Path")]
    [InlineData("Test-SocketPort", "Port")]
    [InlineData("Get-HttpRaw", "Uri")]
    [InlineData("New-SocketListener", "InputObject")]
    public void Natural_pipeline_input_binds_by_value(string name, string parameter) =>
        Assert.All(ModuleUnderTest.Cmdlet(name).Parameter(parameter)!.Bindings, b => Assert.True(b.FromPipeline));

    [Fact]
    public void FileInfo_objects_bind_to_Send_File_LiteralPath_by_their_PSPath()
    {
        ParameterModel literal = ModuleUnderTest.Cmdlet("Send-File").Parameter("LiteralPath")!;
        Assert.Contains("PSPath", literal.Aliases);
        Assert.All(literal.Bindings, b => Assert.True(b.FromPipelineByPropertyName));
    }

    [Theory]
    [InlineData("Send-File", "Path")]
    [InlineData("Send-SocketData", "Path")]
    [InlineData("Get-SocketListener", "Name")]
    public void Wildcard_parameters_say_so(string name, string parameter) =>
        Assert.True(ModuleUnderTest.Cmdlet(name).Parameter(parameter)!.SupportsWildcards);
}
