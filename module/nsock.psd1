# Module manifest for nsock: cmdlets over the same engine as the nsock command (src/Nsock.Core).
# Built into artifacts/module/nsock/<version>/ by scripts/build; Import-Module ./artifacts/module/nsock.
# RootModule nsock.psm1 imports core/Nsock.PowerShell.dll (net8.0) in PowerShell 7.4+ and desktop/Nsock.PowerShell.dll
# (netstandard2.0) in Windows PowerShell 5.1.
@{
    RootModule           = 'nsock.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '41ad0b10-efcb-4eaa-9274-38455dc7f9d9'
    Author               = 'nsock contributors'
    CompanyName          = 'nsock'
    Copyright            = 'nsock contributors'
    Description          = 'nsock: a socket Swiss-army knife. Listen, echo, send and receive over TCP, UDP and Unix sockets, UDP ping, port probes, raw HTTP and verified file transfer, with objects in and out.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    # Windows PowerShell 5.1 only (PowerShell 7 ignores it): the netstandard2.0 build needs .NET Framework 4.7.2.
    DotNetFrameworkVersion = '4.7.2'

    FormatsToProcess     = @('nsock.format.ps1xml')
    TypesToProcess       = @('nsock.types.ps1xml')

    # Listed one by one: nothing is exported by wildcard.
    CmdletsToExport      = @(
        'New-SocketListener'
        'Get-SocketListener'
        'Stop-SocketListener'
        'Send-SocketData'
        'Receive-SocketData'
        'Invoke-UdpPing'
        'Get-HttpRaw'
        'Send-File'
        'Test-SocketPort'
        'Get-SocketConnection'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()

    PrivateData          = @{
        PSData = @{
            Tags         = @('netcat', 'nc', 'socat', 'socket', 'tcp', 'udp', 'unix', 'network', 'ping', 'http', 'PSEdition_Desktop', 'PSEdition_Core')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'See CHANGELOG.md.'
        }
    }
}
