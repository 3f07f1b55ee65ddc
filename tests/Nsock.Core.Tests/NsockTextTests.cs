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
}
