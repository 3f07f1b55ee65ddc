using System;
using System.Collections.Generic;
using Xunit;

namespace Nsock.PowerShell.Tests;

public sealed class Psd1ReaderTests
{
    [Fact]
    public void Reads_nested_hashtables_arrays_strings_numbers_and_booleans()
    {
        var m = (Dictionary<string, object?>)Psd1Reader.Parse("""
            # a comment
            @{
                Name = 'it''s'   # quote doubled
                "Quoted Key" = "a`tb"
                Count = 42; Ratio = 1.5
                On = $true; Off = $false; None = $null
                <# block
                   comment #>
                List = @(
                    'a'
                    'b', 'c'
                )
                Bare = 'x', 'y'
                Empty = @()
                Inner = @{ Deep = @{ Value = 'z' } }
            }
            """)!;
        Assert.Equal("it's", m["name"]);
        Assert.Equal("a\tb", m["Quoted Key"]);
        Assert.Equal(42L, m["Count"]);
        Assert.Equal(1.5, m["Ratio"]);
        Assert.Equal(true, m["On"]);
        Assert.Equal(false, m["Off"]);
        Assert.Null(m["None"]);
        Assert.Equal(new object?[] { "a", "b", "c" }, (List<object?>)m["List"]!);
        Assert.Equal(new object?[] { "x", "y" }, (List<object?>)m["Bare"]!);
        Assert.Empty((List<object?>)m["Empty"]!);
        Assert.Equal("z", ((Dictionary<string, object?>)((Dictionary<string, object?>)m["Inner"]!)["Deep"]!)["Value"]);
    }

    [Theory]
    [InlineData("@{ A = 'x' ")]
    [InlineData("@{ A = \"$env:HOME\" }")]
    [InlineData("@{ A = Get-Date }")]
    [InlineData("@{ A = 1; A = 2 }")]
    [InlineData("@{ A = 'x' } extra")]
    public void Rejects_what_is_not_a_data_file(string text) => Assert.Throws<FormatException>(() => Psd1Reader.Parse(text));
}
