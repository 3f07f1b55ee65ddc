# The root module of nsock: imports the build of the cmdlets and the engine made for the running PowerShell, and
# exports its cmdlets (nsock.psd1 lists them; nothing else is exported).
#   core/     net8.0 for PowerShell 7.4 or later (Unix sockets, timeouts, exec bits and atomic replace as the command has them)
#   desktop/  netstandard2.0 for Windows PowerShell 5.1 (.NET Framework 4.7.2 or later)
# Written for both editions: no ternaries, no ??, Join-Path with two arguments only.

$edition = 'desktop'
if ($PSVersionTable.PSEdition -eq 'Core') {
    # The net8.0 build needs .NET 8, which PowerShell 7.4 is the first to run on.
    if ($PSVersionTable.PSVersion -lt [version]'7.4') {
        throw "nsock needs PowerShell 7.4 or later (or Windows PowerShell 5.1); this is PowerShell $($PSVersionTable.PSVersion)."
    }
    $edition = 'core'
}
else {
    # The manifest's DotNetFrameworkVersion says 4.7.2, but Windows PowerShell only checks versions it knows (up to
    # 4.5): ask the registry, where 461808 is the first release number of 4.7.2.
    $release = Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full' -Name Release -ErrorAction SilentlyContinue
    if (-not $release -or $release.Release -lt 461808) {
        throw 'nsock needs .NET Framework 4.7.2 or later in Windows PowerShell 5.1 (https://dotnet.microsoft.com/download/dotnet-framework), or PowerShell 7.4 or later.'
    }
}

$binary = Import-Module -Name ([System.IO.Path]::Combine($PSScriptRoot, $edition, 'Nsock.PowerShell.dll')) -PassThru -ErrorAction Stop

# Remove-Module nsock removes the cmdlets' module too (its cleanup stops what it started).
$ExecutionContext.SessionState.Module.OnRemove = { Remove-Module -ModuleInfo $binary -Force -ErrorAction SilentlyContinue }.GetNewClosure()

Export-ModuleMember -Cmdlet @($binary.ExportedCmdlets.Keys)
