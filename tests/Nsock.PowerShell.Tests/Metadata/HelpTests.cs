using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace Nsock.PowerShell.Tests;

/// <summary>Get-Help works from the MAML file beside the assembly: these check it covers what the assembly declares.</summary>
public sealed class HelpTests
{
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private static XElement HelpFor(string name) =>
        XDocument.Load(Repo.HelpPath).Root!.Elements(Command + "command").SingleOrDefault(c => c.Element(Command + "details")!.Element(Command + "name")!.Value == name)
        ?? throw new Xunit.Sdk.XunitException($"no help for {name} in {Repo.HelpPath}");

    [Fact]
    public void Help_file_is_named_for_the_assembly_and_is_maml()
    {
        Assert.Equal("Nsock.PowerShell.dll-Help.xml", Path.GetFileName(Repo.HelpPath));
        XElement root = XDocument.Load(Repo.HelpPath).Root!;
        Assert.Equal("helpItems", root.Name.LocalName);
        Assert.Equal("maml", (string?)root.Attribute("schema"));
        Assert.Equal(ModuleUnderTest.Cmdlets.Count, root.Elements(Command + "command").Count());
    }

    [Theory]
    [MemberData(nameof(CmdletMetadataTests.CmdletNames), MemberType = typeof(CmdletMetadataTests))]
    public void Every_cmdlet_has_a_synopsis_a_description_and_examples(string name)
    {
        XElement help = HelpFor(name);
        Assert.False(string.IsNullOrWhiteSpace(help.Element(Command + "details")!.Element(Maml + "description")?.Value));
        Assert.False(string.IsNullOrWhiteSpace(help.Element(Maml + "description")?.Value));
        var examples = help.Element(Command + "examples")!.Elements(Command + "example").ToList();
        Assert.NotEmpty(examples);
        foreach (XElement e in examples)
        {
            string code = e.Element(Dev + "code")!.Value;
            Assert.False(string.IsNullOrWhiteSpace(e.Element(Dev + "remarks")?.Value));
            Assert.Contains(ModuleUnderTest.Cmdlets, c => code.Contains(c.Name, StringComparison.Ordinal));
        }
        Assert.Contains(examples, e => e.Element(Dev + "code")!.Value.Contains(name, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CmdletMetadataTests.CmdletNames), MemberType = typeof(CmdletMetadataTests))]
    public void Help_documents_exactly_the_parameters_of_the_cmdlet(string name)
    {
        CmdletModel cmdlet = ModuleUnderTest.Cmdlet(name);
        XElement help = HelpFor(name);
        var documented = help.Element(Command + "parameters")!.Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(cmdlet.Parameters.Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal), documented);
        foreach (XElement p in help.Element(Command + "parameters")!.Elements(Command + "parameter"))
            Assert.False(string.IsNullOrWhiteSpace(p.Element(Maml + "description")?.Value), $"{name} -{p.Element(Maml + "name")!.Value} has no description");
    }

    [Theory]
    [MemberData(nameof(CmdletMetadataTests.CmdletNames), MemberType = typeof(CmdletMetadataTests))]
    public void Help_syntax_has_one_entry_per_parameter_set_with_its_mandatory_parameters(string name)
    {
        CmdletModel cmdlet = ModuleUnderTest.Cmdlet(name);
        var items = HelpFor(name).Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
        Assert.Equal(Math.Max(1, cmdlet.Sets.Count), items.Count);
        foreach (XElement item in items)
        {
            var names = item.Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value).ToHashSet();
            // The set this syntax shows is the one whose parameters it lists.
            string? set = cmdlet.Sets.FirstOrDefault(s => cmdlet.Parameters.Where(p => p.InSet(s)).Select(p => p.Name).ToHashSet().SetEquals(names));
            Assert.True(set is not null || cmdlet.Sets.Count == 0, $"{name}: a syntax entry lists {string.Join(", ", names)}, which is no parameter set");
            foreach (XElement p in item.Elements(Command + "parameter"))
            {
                ParameterModel model = cmdlet.Parameter(p.Element(Maml + "name")!.Value)!;
                ParameterBinding binding = set is null ? model.Bindings[0] : model.For(set)!;
                Assert.Equal(binding.Mandatory ? "true" : "false", (string?)p.Attribute("required"));
                Assert.Equal(binding.Position?.ToString() ?? "named", (string?)p.Attribute("position"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(CmdletMetadataTests.CmdletNames), MemberType = typeof(CmdletMetadataTests))]
    public void Help_shows_how_each_parameter_binds_aliases_and_wildcards_as_declared(string name)
    {
        CmdletModel cmdlet = ModuleUnderTest.Cmdlet(name);
        XElement help = HelpFor(name);
        foreach (XElement item in help.Element(Command + "syntax")!.Elements(Command + "syntaxItem"))
        {
            var names = item.Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value).ToHashSet();
            string? set = cmdlet.Sets.FirstOrDefault(s => cmdlet.Parameters.Where(p => p.InSet(s)).Select(p => p.Name).ToHashSet().SetEquals(names));
            foreach (XElement p in item.Elements(Command + "parameter"))
            {
                ParameterModel model = cmdlet.Parameter(p.Element(Maml + "name")!.Value)!;
                CheckBinding(name, p, model, set is null ? model.Bindings[0] : model.For(set)!);
            }
        }
        foreach (XElement p in help.Element(Command + "parameters")!.Elements(Command + "parameter"))
        {
            ParameterModel model = cmdlet.Parameter(p.Element(Maml + "name")!.Value)!;
            // The parameters section has one entry per parameter: it must read the same in every set it is in.
            CheckBinding(name, p, model, model.Bindings[0]);
            Assert.True(model.Bindings.All(b => PipelineInput(b) == PipelineInput(model.Bindings[0]) && b.Position == model.Bindings[0].Position),
                $"{name} -{model.Name} binds differently per set: the parameters section cannot say so in one entry");
            Assert.False(string.IsNullOrWhiteSpace(p.Element(Dev + "defaultValue")?.Value), $"{name} -{model.Name} has no default value entry");
        }
    }

    private static void CheckBinding(string cmdlet, XElement p, ParameterModel model, ParameterBinding binding)
    {
        string what = $"{cmdlet} -{model.Name}";
        Assert.True(PipelineInput(binding) == (string?)p.Attribute("pipelineInput"), $"{what}: pipelineInput is '{(string?)p.Attribute("pipelineInput")}', the cmdlet takes '{PipelineInput(binding)}'");
        string aliases = model.Aliases.Count == 0 ? "none" : string.Join(", ", model.Aliases);
        Assert.True(aliases == (string?)p.Attribute("aliases"), $"{what}: aliases are '{(string?)p.Attribute("aliases")}', the cmdlet declares '{aliases}'");
        Assert.True((model.SupportsWildcards ? "true" : "false") == (string?)p.Attribute("globbing"), $"{what}: globbing is '{(string?)p.Attribute("globbing")}'");
    }

    private static string PipelineInput(ParameterBinding b) => (b.FromPipeline, b.FromPipelineByPropertyName) switch
    {
        (true, true) => "True (ByValue, ByPropertyName)",
        (true, false) => "True (ByValue)",
        (false, true) => "True (ByPropertyName)",
        _ => "False",
    };

    [Fact]
    public void About_topic_names_every_cmdlet()
    {
        string about = File.ReadAllText(Repo.AboutPath);
        Assert.StartsWith("TOPIC", about);
        foreach (CmdletModel c in ModuleUnderTest.Cmdlets) Assert.Contains(c.Name, about);
    }
}
