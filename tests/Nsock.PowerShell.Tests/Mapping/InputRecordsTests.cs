using System.Linq;
using System.Text;
using Xunit;

namespace Nsock.PowerShell.Tests;

public sealed class InputRecordsTests
{
    [Fact]
    public void Strings_are_encoded_exactly_as_given()
    {
        var r = new InputRecords(Encoding.UTF8, newline: false);
        Assert.Equal(Encoding.UTF8.GetBytes("héllo"), r.Add("héllo").Single());
    }

    [Fact]
    public void Newline_appends_a_line_feed_to_strings_only()
    {
        var r = new InputRecords(Encoding.ASCII, newline: true);
        Assert.Equal(Encoding.ASCII.GetBytes("a\n"), r.Add("a").Single());
        Assert.Equal(new byte[] { 1, 2 }, r.Add(new byte[] { 1, 2 }).Single());
    }

    [Fact]
    public void Single_bytes_from_an_unrolled_byte_array_become_one_record()
    {
        var r = new InputRecords(Encoding.ASCII, newline: false);
        Assert.Empty(r.Add((byte)1));
        Assert.Empty(r.Add((byte)2));
        var done = r.Add("x").ToList();
        Assert.Equal(new[] { new byte[] { 1, 2 }, new byte[] { (byte)'x' } }, done);
        Assert.Empty(r.Add((byte)3));
        Assert.Equal(new byte[] { 3 }, r.Flush());
        Assert.Null(r.Flush());
    }

    [Fact]
    public void Other_objects_are_sent_as_their_invariant_text()
    {
        var r = new InputRecords(Encoding.ASCII, newline: false);
        Assert.Equal("1.5", Encoding.ASCII.GetString(r.Add(1.5).Single()));
        Assert.Equal("ab", Encoding.ASCII.GetString(r.Add(new[] { 'a', 'b' }).Single()));
        Assert.Empty(r.Add(null));
    }
}
