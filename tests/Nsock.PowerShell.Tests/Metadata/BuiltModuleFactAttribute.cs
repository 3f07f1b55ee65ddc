using System.IO;
using Xunit;

namespace Nsock.PowerShell.Tests;

/// <summary>A fact about the module folder scripts/build assembles; skipped, saying so, until it has been built.</summary>
public sealed class BuiltModuleFactAttribute : FactAttribute
{
    public BuiltModuleFactAttribute()
    {
        if (!File.Exists(Path.Combine(Repo.BuiltModuleFolder, "nsock.psd1")))
            Skip = $"the module is not built: run 'bash scripts/build --module-only' to make {Repo.BuiltModuleFolder}";
    }
}
