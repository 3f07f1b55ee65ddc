using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>
/// One version for everything: &lt;Version&gt; in src/Directory.Build.props. The command, the tool packages (built
/// from it), the module manifest and the CHANGELOG's newest heading must all say the same.
/// </summary>
public class VersionTests
{
    private static string Read(params string[] path) => File.ReadAllText(Path.Combine(new[] { Repository.Root }.Concat(path).ToArray()));

    private static string PropsVersion => Regex.Match(Read("src", "Directory.Build.props"), "<Version>([^<]+)</Version>").Groups[1].Value;

    [Fact]
    public void The_command_module_manifest_and_changelog_carry_the_version_of_Directory_Build_props()
    {
        string version = PropsVersion;
        Assert.Matches(new Regex(@"^\d+\.\d+\.\d+$"), version);

        string command = typeof(NsockApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        string manifest = Regex.Match(Read("module", "nsock.psd1"), @"ModuleVersion\s*=\s*'([^']+)'").Groups[1].Value;
        string changelog = Regex.Match(Read("CHANGELOG.md"), @"^## (\S+)", RegexOptions.Multiline).Groups[1].Value;

        Assert.Equal(version, command);
        Assert.Equal(version, manifest);
        Assert.Equal(version, changelog);
    }

    [Fact]
    public void The_built_module_manifest_has_the_version_stamped_by_scripts_build()
    {
        string version = PropsVersion;
        string built = Path.Combine(Repository.Root, "artifacts", "module", "nsock", version, "nsock.psd1");
        Assert.True(File.Exists(built), $"no {built}: run scripts/build first");

        Assert.Equal(version, Regex.Match(File.ReadAllText(built), @"ModuleVersion\s*=\s*'([^']+)'").Groups[1].Value);
    }
}
