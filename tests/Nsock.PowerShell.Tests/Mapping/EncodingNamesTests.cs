using System.Text;
using Nsock.Core;
using Xunit;

namespace Nsock.PowerShell.Tests;

public sealed class EncodingNamesTests
{
    [Theory]
    [InlineData("utf8")]
    [InlineData("UTF8")]
    [InlineData("utf-8")]
    [InlineData("utf8BOM")]
    [InlineData("default")]
    public void Utf8_names_give_utf8_without_a_byte_order_mark(string name)
    {
        Encoding e = EncodingNames.Resolve(name);
        Assert.Equal(65001, e.CodePage);
        Assert.Empty(e.GetPreamble());
    }

    [Theory]
    [InlineData("ascii", 20127)]
    [InlineData("unicode", 1200)]
    [InlineData("bigendianunicode", 1201)]
    [InlineData("utf32", 12000)]
    [InlineData("latin1", 28591)]
    [InlineData("iso-8859-1", 28591)]
    [InlineData("65001", 65001)]
    public void PowerShell_names_web_names_and_code_pages_resolve(string name, int codePage) =>
        Assert.Equal(codePage, EncodingNames.Resolve(name).CodePage);

    [Fact]
    public void Latin1_maps_every_byte_to_one_character() =>
        Assert.Equal(new byte[] { 0xE9 }, EncodingNames.Resolve("latin1").GetBytes("é"));

    [Fact]
    public void An_unknown_encoding_is_bad_input() =>
        Assert.Equal(NsockErrorKind.BadInput, Assert.Throws<NsockException>(() => EncodingNames.Resolve("klingon")).Kind);
}
