using System;
using System.IO;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>Which relative paths a peer may name inside a folder, and why the others are refused.</summary>
public sealed class SafePathTests : IDisposable
{
    private readonly FileTransferFolder _tmp = new("safepath");
    private readonly string _root;

    public SafePathTests() => _root = _tmp.Folder("root");

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData("a.txt")]
    [InlineData("sub/a.txt")]
    [InlineData("deep/er/still/a.tar.gz")]
    [InlineData(".hidden")]
    [InlineData("a..b")]
    [InlineData("..a")]
    [InlineData("a b/c d.txt")]
    [InlineData("CONSOLE")] // a device name only when the whole stem is one
    [InlineData("COM10")]
    [InlineData("NULL.txt")]
    [InlineData("xCON")]
    [InlineData("été/日本語.txt")]
    [InlineData("name with 'quotes' & (brackets) #1")]
    public void Good_name_resolves_inside_the_root(string relative)
    {
        string full = SafePath.Resolve(_root, relative);

        Assert.Equal(Path.Combine(_root, relative.Replace('/', Path.DirectorySeparatorChar)), full);
        Assert.StartsWith(_root + Path.DirectorySeparatorChar, full);
    }

    [Fact]
    public void Root_given_with_a_trailing_separator_or_relative_parts_resolves_the_same()
    {
        string expected = Path.Combine(_root, "a", "b.txt");

        Assert.Equal(expected, SafePath.Resolve(_root + Path.DirectorySeparatorChar, "a/b.txt"));
        Assert.Equal(expected, SafePath.Resolve(Path.Combine(_root, "x", ".."), "a/b.txt"));
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("/etc/passwd", "it is absolute")]
    [InlineData("//server/share/x", "it is absolute")]
    [InlineData("C:/x", "it names a drive")]
    [InlineData("c:x", "it names a drive")]
    [InlineData("a/c:x", "':'")]
    [InlineData("file.txt:stream", "':'")]
    [InlineData("..", "'..' segment")]
    [InlineData("../x", "'..' segment")]
    [InlineData("../../x", "'..' segment")]
    [InlineData("a/../../b", "'..' segment")]
    [InlineData("a/..", "'..' segment")]
    [InlineData(".", "'.' segment")]
    [InlineData("./x", "'.' segment")]
    [InlineData("a/./b", "'.' segment")]
    [InlineData("a//b", "empty segment")]
    [InlineData("a/", "empty segment")]
    [InlineData("a\\b", "backslash")]
    [InlineData("..\\x", "backslash")]
    [InlineData("\\\\server\\share", "backslash")]
    [InlineData("a\u0000b", "control character")]
    [InlineData("a\nb", "control character")]
    [InlineData("a\u001fb", "control character")]
    [InlineData("a\u007fb", "control character")]
    [InlineData("x.", "ends with a dot or a space")]
    [InlineData("x ", "ends with a dot or a space")]
    [InlineData("dir./x", "ends with a dot or a space")]
    [InlineData("dir /x", "ends with a dot or a space")]
    [InlineData("...", "ends with a dot or a space")]
    [InlineData("a<b", "Windows forbids")]
    [InlineData("a>b", "Windows forbids")]
    [InlineData("a\"b", "Windows forbids")]
    [InlineData("a|b", "Windows forbids")]
    [InlineData("a?b", "Windows forbids")]
    [InlineData("a*b", "Windows forbids")]
    public void Bad_name_is_refused_saying_why(string relative, string why)
    {
        NsockException e = Assert.Throws<NsockException>(() => SafePath.Resolve(_root, relative));

        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.StartsWith($"unsafe path '{relative}': ", e.Message);
        Assert.Contains(why, e.Message);
    }

    [Theory]
    [InlineData("CON")]
    [InlineData("con")]
    [InlineData("Con.txt")]
    [InlineData("CON.tar.gz")]
    [InlineData("CON .txt")]
    [InlineData("PRN")]
    [InlineData("AUX")]
    [InlineData("NUL")]
    [InlineData("nul.json")]
    [InlineData("COM1")]
    [InlineData("com9.log")]
    [InlineData("LPT1")]
    [InlineData("lpt9")]
    [InlineData("CONIN$")]
    [InlineData("conout$")]
    [InlineData("sub/NUL/x.txt")]
    [InlineData("sub/aux")]
    public void Windows_device_name_is_refused_in_any_case_and_with_any_extension(string relative)
    {
        NsockException e = Assert.Throws<NsockException>(() => SafePath.Resolve(_root, relative));

        Assert.Contains("is a Windows device name", e.Message);
    }

    [Theory]
    [InlineData("COM\u00b9")] // COM¹: Windows treats the superscript digits 1-3 as device numbers too
    [InlineData("LPT\u00b2.txt")]
    [InlineData("com\u00b3")]
    public void Device_name_with_a_superscript_digit_is_refused(string relative)
    {
        NsockException e = Assert.Throws<NsockException>(() => SafePath.Resolve(_root, relative));

        Assert.Contains("device name", e.Message);
    }

    [FileTransferLinkFact]
    public void Existing_link_on_the_way_is_refused_wherever_it_points()
    {
        Directory.CreateDirectory(Path.Combine(_root, "real"));
        FileTransferSupport.Link(Path.Combine(_root, "out"), _tmp.Root, directory: true);
        FileTransferSupport.Link(Path.Combine(_root, "in"), Path.Combine(_root, "real"), directory: true);
        FileTransferSupport.Link(Path.Combine(_root, "file"), Path.Combine(_tmp.Root, "nowhere-yet"), directory: false);

        Assert.Contains("'out' is a symbolic link", Assert.Throws<NsockException>(() => SafePath.Resolve(_root, "out/x")).Message);
        Assert.Contains("'in' is a symbolic link", Assert.Throws<NsockException>(() => SafePath.Resolve(_root, "in/x")).Message);
        Assert.Equal(Path.Combine(_root, "real", "x"), SafePath.Resolve(_root, "real/x"));
    }

    [FileTransferLinkFact]
    public void Dangling_link_as_the_final_name_is_refused()
    {
        // A link whose target does not exist yet would still lead outside once something creates the target.
        FileTransferSupport.Link(Path.Combine(_root, "file"), Path.Combine(_tmp.Root, "nowhere-yet"), directory: false);

        NsockException e = Assert.Throws<NsockException>(() => SafePath.Resolve(_root, "file"));

        Assert.Contains("symbolic link", e.Message);
    }

    [Fact]
    public void Names_that_do_not_exist_yet_are_fine_below_existing_folders()
    {
        Directory.CreateDirectory(Path.Combine(_root, "a"));

        Assert.Equal(Path.Combine(_root, "a", "new", "file.txt"), SafePath.Resolve(_root, "a/new/file.txt"));
    }

    // Windows' own namespaces (built for, not run here: the checks are string rules, so they run on every OS).
    [Theory]
    [InlineData("\\\\?\\C:\\Windows\\win.ini", "backslash")] // \\?\C:\... : the Win32 file namespace, no normalisation
    [InlineData("\\\\.\\PhysicalDrive0", "backslash")]           // \\.\ : the device namespace
    [InlineData("\\\\?\\UNC\\server\\share\\x", "backslash")]
    [InlineData("//?/C:/Windows/win.ini", "it is absolute")]          // the same with forward slashes, which Windows accepts
    [InlineData("//./NUL", "it is absolute")]
    [InlineData("??/C:/x", "Windows forbids")]
    [InlineData("COM1:", "':'")]
    [InlineData("sub/CON:stream", "':'")]
    [InlineData("sub/com1 .log", "device name")]
    public void Windows_namespace_prefixes_and_device_forms_are_refused(string relative, string why)
    {
        NsockException e = Assert.Throws<NsockException>(() => SafePath.Resolve(_root, relative));

        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains(why, e.Message);
    }
}
