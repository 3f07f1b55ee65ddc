using System.Collections.Generic;
using System.Linq;
using Nsock.Core;
using Xunit;

namespace Nsock.PowerShell.Tests;

// How -Headers' values become header lines; what makes a header valid is the engine's (HttpRequestTests in Nsock.Core.Tests).
public sealed class HttpHeaderMapperTests
{
    [Fact]
    public void Headers_keep_their_order_and_a_list_value_sends_the_header_per_item()
    {
        IReadOnlyList<HttpHeader> headers = HttpHeaderMapper.Lines(new List<KeyValuePair<string, object?>>
        {
            new("X-One", "1"),
            new("Accept", new object[] { "text/plain", "text/html" }),
            new("X-Num", 5),
            new("X-Fraction", 1.5),
            new("X-Null", null),
        });
        Assert.Equal(new[] { "X-One: 1", "Accept: text/plain", "Accept: text/html", "X-Num: 5", "X-Fraction: 1.5", "X-Null: " }, headers.Select(h => h.Name + ": " + h.Value));
    }

    [Fact]
    public void The_lines_bind_into_the_engine_s_request_which_names_an_empty_header_in_the_module_s_spelling()
    {
        var request = new HttpRequest { Url = "http://127.0.0.1:8080/", Headers = HttpHeaderMapper.Lines(new[] { new KeyValuePair<string, object?>(" ", "x") }) };
        var e = Assert.Throws<NsockException>(() => request.Validate(ParameterNames.Instance));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Equal("a header name in -Headers is empty", e.Message);
    }

    [Fact]
    public void Body_and_in_file_are_named_as_the_module_spells_them()
    {
        var request = new HttpRequest { Url = "http://127.0.0.1:8080/", Body = new byte[1], BodyFile = new byte[1] };
        Assert.Equal("give -Body or -InFile, not both", Assert.Throws<NsockException>(() => request.Validate(ParameterNames.Instance)).Message);
        Assert.Equal("-FixLineEndings applies to -RawRequest only", Assert.Throws<NsockException>(() => new HttpRequest { Url = "http://h/", FixLineEndings = true }.Validate(ParameterNames.Instance)).Message);
    }
}
