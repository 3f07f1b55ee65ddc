using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace Nsock.PowerShell.Tests;

public sealed class FormatFileTests
{
    private static XDocument Format() => XDocument.Load(Repo.FormatPath);

    private static IEnumerable<XElement> Views() => Format().Descendants("View");

    [Fact]
    public void Format_file_is_a_PowerShell_format_configuration()
    {
        XDocument doc = Format();
        Assert.Equal("Configuration", doc.Root!.Name.LocalName);
        Assert.NotEmpty(Views());
        Assert.All(Views(), v => Assert.False(string.IsNullOrWhiteSpace((string?)v.Element("Name"))));
        var names = Views().Select(v => (string)v.Element("Name")!).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public void Every_view_names_real_types()
    {
        foreach (XElement type in Format().Descendants("ViewSelectedBy").Elements("TypeName"))
            Assert.True(ModuleUnderTest.PublicTypes.Contains(type.Value), type.Value + " is not a public type of the module or the engine");
    }

    [Fact]
    public void Every_column_names_a_property_the_types_have()
    {
        foreach (XElement view in Views())
        {
            string[] types = view.Element("ViewSelectedBy")!.Elements("TypeName").Select(t => t.Value).ToArray();
            var properties = types.SelectMany(ModuleUnderTest.PropertiesOf).ToHashSet();
            foreach (XElement property in view.Descendants("PropertyName"))
                Assert.True(properties.Contains(property.Value), $"view {view.Element("Name")!.Value}: no type of {string.Join(", ", types)} has a property {property.Value}");
        }
    }

    [Fact]
    public void Every_table_has_as_many_headers_as_columns()
    {
        foreach (XElement table in Format().Descendants("TableControl"))
        {
            int headers = table.Element("TableHeaders")!.Elements("TableColumnHeader").Count();
            foreach (XElement row in table.Descendants("TableRowEntry"))
                Assert.Equal(headers, row.Element("TableColumnItems")!.Elements("TableColumnItem").Count());
        }
    }

    [Fact]
    public void Every_object_a_cmdlet_writes_has_a_view()
    {
        var viewed = Format().Descendants("ViewSelectedBy").Elements("TypeName").Select(t => t.Value).ToHashSet();
        foreach (CmdletModel c in ModuleUnderTest.Cmdlets)
        {
            foreach ((string type, _) in c.OutputTypes.Where(o => o.Type != "System.Boolean"))
                Assert.True(viewed.Contains(type), $"{c.Name} writes {type}, which has no view");
        }
    }
}
