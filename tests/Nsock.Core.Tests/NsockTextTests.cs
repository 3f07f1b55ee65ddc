using System;
using System.Linq;
using Xunit;

namespace Nsock.Core.Tests;

public sealed class NsockTextTests
{
    [Fact]
    public void Every_state_prints_as_the_word_nsock_has_always_printed()
    {
        Assert.Equal(new[] { "sent", "received", "skipped", "refused", "failed" }, Enum.GetValues<FileStatus>().Select(s => s.ToText()));
        Assert.Equal(new[] { "none", "chunked", "content-length", "close" }, Enum.GetValues<HttpFraming>().Select(f => f.ToText()));
        Assert.Equal(new[] { "tcp", "udp", "unix" }, Enum.GetValues<Transport>().Select(t => t.ToText()));
    }

    [Fact]
    public void File_status_and_transport_words_are_their_enum_names_ignoring_case()
    {
        // PowerShell converts the right side of $r.Status -eq 'sent' (and Should -Be 'sent') to the enum by name,
        // ignoring case: the words must stay the names. (content-length is not a name: Get-HttpRaw keeps Framing as text.)
        Assert.All(Enum.GetValues<FileStatus>(), s => Assert.Equal(s, Enum.Parse<FileStatus>(s.ToText(), ignoreCase: true)));
        Assert.All(Enum.GetValues<Transport>(), t => Assert.Equal(t, Enum.Parse<Transport>(t.ToText(), ignoreCase: true)));
    }

    [Fact]
    public void The_words_are_constants_so_printing_one_allocates_nothing() =>
        Assert.Same(FileStatus.Sent.ToText(), FileStatus.Sent.ToText());

    [Theory]
    [InlineData("report.txt", "report.txt")]
    [InlineData("naïve 日本.txt", "naïve 日本.txt")]
    [InlineData("a\u001b[31mb", @"a\x1b[31mb")]
    [InlineData("x\r\nreceived y: 5 bytes verified", @"x\r\nreceived y: 5 bytes verified")]
    [InlineData("tab\tdel\u007fc1\u009b", @"tab\tdel\x7fc1\x9b")]
    [InlineData("evil\u202Etxt.exe", @"evil\u202etxt.exe")]
    [InlineData("\u202A\u202B\u202C\u202D\u2066\u2067\u2068\u2069", @"\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069")]
    public void Printable_escapes_control_characters_and_bidi_overrides_and_keeps_everything_else(string text, string expected) =>
        Assert.Equal(expected, NsockText.Printable(text));

    [Fact]
    public void Printable_returns_clean_text_as_it_is() =>
        Assert.Same("clean", NsockText.Printable("clean"));

    [Fact]
    public void Printable_wire_shows_utf8_as_characters_escapes_other_high_bytes_and_then_applies_the_same_rule()
    {
        static string Wire(byte[] bytes) => System.Text.Encoding.Latin1.GetString(bytes);
        Assert.Equal("naïve", NsockText.PrintableWire(Wire(System.Text.Encoding.UTF8.GetBytes("naïve"))));
        Assert.Equal(@"a\u202eb", NsockText.PrintableWire(Wire(System.Text.Encoding.UTF8.GetBytes("a\u202Eb"))));
        Assert.Equal(@"\xe9t\xe9 \x9b\x1b", NsockText.PrintableWire(Wire(new byte[] { 0xE9, (byte)'t', 0xE9, (byte)' ', 0x9B, 0x1B })));
        Assert.Equal(@"\xc0\xaf", NsockText.PrintableWire(Wire(new byte[] { 0xC0, 0xAF }))); // overlong '/'
    }
}
