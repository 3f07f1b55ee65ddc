# The module as PowerShell sees it: manifest, exported cmdlets, output types, format views and help.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:cmdlets = 'Get-HttpRaw', 'Get-SocketConnection', 'Get-SocketListener', 'Invoke-UdpPing', 'New-SocketListener', 'Receive-SocketData', 'Send-File', 'Send-SocketData', 'Stop-SocketListener', 'Test-SocketPort'
}

Describe 'The nsock module' {
    # A test that failed before its own finally leaves no runspace running into the next one.
    AfterEach { Stop-TestRunspaces }
    It 'has a valid manifest for Windows PowerShell 5.1 and PowerShell 7' {
        $manifest = Get-ChildItem -Path ([System.IO.Path]::Combine($script:ModulePath, '*', 'nsock.psd1')) | Select-Object -First 1
        $m = Test-ModuleManifest -Path $manifest.FullName
        $props = Get-Content -Raw -Path ([System.IO.Path]::Combine($script:RepoRoot, 'src', 'Directory.Build.props'))
        $m.Version | Should -Be ([version][regex]::Match($props, '<Version>([^<]+)</Version>').Groups[1].Value)
        $m.PowerShellVersion | Should -Be ([version]'5.1')
        @($m.CompatiblePSEditions | Sort-Object) | Should -Be @('Core', 'Desktop')
    }

    It 'exports exactly its cmdlets, and nothing else' {
        $module = Get-Module nsock
        @($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be $script:cmdlets
        $module.ExportedFunctions.Count | Should -Be 0
        $module.ExportedAliases.Count | Should -Be 0
        $module.ExportedVariables.Count | Should -Be 0
        @(Get-Command -Module nsock | ForEach-Object Name | Sort-Object) | Should -Be $script:cmdlets
    }

    It 'declares an output type for every cmdlet' {
        foreach ($name in $script:cmdlets) {
            (Get-Command $name).OutputType | Should -Not -BeNullOrEmpty -Because "$name needs [OutputType]"
        }
    }

    It 'has a table view for every result type' {
        foreach ($type in 'Nsock.Core.PingReply', 'Nsock.Core.PingLost', 'Nsock.Core.PingSummary', 'Nsock.Core.PortProbeResult', 'Nsock.Core.FileResult',
            'Nsock.PowerShell.SocketListenerEvent', 'Nsock.PowerShell.SocketListener', 'Nsock.PowerShell.HttpRawResponse',
            'Nsock.PowerShell.SocketSendResult', 'Nsock.PowerShell.SocketReceiveResult', 'Nsock.PowerShell.SocketData') {
            Get-FormatData -TypeName $type | Should -Not -BeNullOrEmpty -Because "$type needs a view"
        }
    }

    It 'formats results as tables without errors' {
        $echo = Start-Echo -Udp
        try {
            $text = Invoke-UdpPing 127.0.0.1 $echo.Port -Count 1 | Out-String
            $text | Should -Match 'Seq'
            $text | Should -Match 'Received'
            (Get-SocketListener | Out-String) | Should -Match 'Endpoint'
        }
        finally { $echo | Stop-SocketListener }
    }

    It 'has help with a synopsis and examples for every cmdlet' {
        foreach ($name in $script:cmdlets) {
            $help = Get-Help $name -Full
            $help.Synopsis | Should -Not -BeLike "*$name*[<]*" -Because "$name needs a real synopsis, not the generated syntax"
            @($help.Examples.Example).Count | Should -BeGreaterThan 0 -Because "$name needs examples"
            @($help.Parameters.Parameter).Count | Should -BeGreaterThan 0
        }
        (Get-Help Send-File -Examples | Out-String) | Should -Match 'Get-ChildItem \*\.log \| Send-File'
    }

    It 'has an about_nsock topic' {
        (Get-Help about_nsock | Out-String) | Should -Match 'New-SocketListener'
    }
}
