# Module manifest for nsock: cmdlets over the same engine as the nsock command (src/Nsock.Core).
# Built into artifacts/module/nsock/<version>/ by scripts/build; Import-Module ./artifacts/module/nsock.
@{
    RootModule           = 'Nsock.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '41ad0b10-efcb-4eaa-9274-38455dc7f9d9'
    Author               = 'nsock contributors'
    CompanyName          = 'nsock'
    Copyright            = 'nsock contributors'
    Description          = 'nsock: a socket Swiss-army knife. Listen, echo, send and receive over TCP, UDP and Unix sockets, UDP ping, port probes, raw HTTP and verified file transfer, with objects in and out.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')

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
