# Get-Help as a user reads it, for every exported cmdlet: a synopsis, a description, every parameter described, the
# defaults the engine really uses, and examples that run. Each example's code (Get-Help X -Examples) runs as written in
# a fresh runspace with the module imported, bounded at 20 seconds, and must write no error record and leave no
# background listener running. The examples bring their own peers (loopback listeners on port 0, Unix sockets in the
# temp folder), so they run anywhere the module does. The runnable blocks of about_nsock are run the same way.

BeforeDiscovery {
    # The cases are made from the help itself, so each example is a test of its own (named by cmdlet and number).
    $modulePath = $env:NSOCK_MODULE_PATH
    if (-not $modulePath) { $modulePath = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..', '..', 'artifacts', 'module', 'nsock')) }
    Import-Module $modulePath -Force -ErrorAction Stop
    $script:Commands = @(Get-Command -Module nsock -CommandType Cmdlet | Sort-Object Name | ForEach-Object { @{ Name = $_.Name } })
    $script:Examples = @(foreach ($c in $script:Commands) {
            $n = 0
            foreach ($e in @((Get-Help $c.Name -Examples).examples.example)) {
                $n++
                @{ Name = $c.Name; Number = $n; Title = ($e.title -replace '^-+\s*(Example \d+:\s*)?|\s*-+$', ''); Code = [string] $e.code }
            }
        })
    # about_nsock's runnable examples: the blocks indented 8 spaces that start with a variable ($x = ...).
    $about = Get-ChildItem -Path ([System.IO.Path]::Combine($modulePath, '*', 'en-US', 'about_nsock.help.txt')) | Select-Object -First 1
    $script:AboutExamples = @()
    $block = @()
    foreach ($line in @(Get-Content -LiteralPath $about.FullName) + '') {
        if ($line -match '^ {8}\S' -or ($block.Count -and $line -match '^ {9,}\S')) { $block += $line.Substring(8); continue }
        if ($block.Count -and $block[0].StartsWith('$')) { $script:AboutExamples += @{ Number = $script:AboutExamples.Count + 1; Code = $block -join [Environment]::NewLine } }
        $block = @()
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:ExampleSeconds = 20
    # As when the module is installed: thread jobs an example starts find nsock by name (module auto-loading).
    $script:OldModulePath = $env:PSModulePath
    $env:PSModulePath = (Split-Path -Parent $script:ModulePath) + [System.IO.Path]::PathSeparator + $env:PSModulePath
    # Parameters every cmdlet has (-Verbose, -ErrorAction, ...; -WhatIf and -Confirm with ShouldProcess): PowerShell describes them.
    $script:Common = @([System.Management.Automation.Internal.CommonParameters].GetProperties().Name) +
        @([System.Management.Automation.Internal.ShouldProcessParameters].GetProperties().Name)

    function Get-HelpDefault([string] $Command, [string] $Parameter) {
        [string] (Get-Help $Command -Parameter $Parameter).defaultValue
    }
}

AfterAll {
    $env:PSModulePath = $script:OldModulePath
}

# Names are made here, at discovery (not Pester <templates>), so each test has its own name before it runs.
foreach ($command in $script:Commands) {
    Describe "Help of $($command.Name)" -ForEach @($command) {
        AfterEach { Stop-TestRunspaces }

        It 'has a synopsis and a description of its own' {
            $help = Get-Help $Name -Full
            $help.Synopsis | Should -Not -BeNullOrEmpty
            $help.Synopsis | Should -Not -BeLike "*$Name *[<-]*" -Because 'a synopsis generated from the syntax means the MAML was not found'
            ($help.description | ForEach-Object Text) -join '' | Should -Not -BeNullOrEmpty
        }

        It 'describes every parameter, with its default value' {
            $help = Get-Help $Name -Full
            $documented = @{}
            foreach ($p in @($help.parameters.parameter)) { $documented[$p.name] = $p }
            $own = @((Get-Command $Name).Parameters.Keys | Where-Object { $script:Common -notcontains $_ })
            $own | Should -Not -BeNullOrEmpty
            foreach ($p in $own) {
                $documented.ContainsKey($p) | Should -BeTrue -Because "-$p of $Name needs help"
                (@($documented[$p].description | ForEach-Object Text) -join '').Trim() | Should -Not -BeNullOrEmpty -Because "-$p of $Name needs a description"
                "$($documented[$p].defaultValue)".Trim() | Should -Not -BeNullOrEmpty -Because "-$p of $Name needs a default value (None when there is none)"
            }
            @($documented.Keys | Where-Object { $own -notcontains $_ }) | Should -BeNullOrEmpty -Because 'help must not describe parameters the cmdlet does not have'
        }

        It 'has examples' {
            @((Get-Help $Name -Examples).examples.example).Count | Should -BeGreaterThan 1
        }
    }
}

Describe 'Default values in help are the ones in force' {
    # Read from the engine's own option records and the module's constants, so the help cannot drift from them.
    It 'Invoke-UdpPing: -Count, -Interval, -Size, -Warmup and -Timeout are the engine''s ping defaults' {
        $d = [Nsock.Core.PingOptions]::new()
        Get-HelpDefault Invoke-UdpPing Count | Should -Be "$($d.Count)"
        Get-HelpDefault Invoke-UdpPing Interval | Should -Be "$($d.Interval.TotalSeconds)"
        Get-HelpDefault Invoke-UdpPing Size | Should -Be "$($d.Size)"
        Get-HelpDefault Invoke-UdpPing Warmup | Should -Be "$($d.Warmup)"
        Get-HelpDefault Invoke-UdpPing Timeout | Should -Be "$($d.Timeout.TotalSeconds)"
    }

    It 'Test-SocketPort: -Timeout and -Parallel are the engine''s probe defaults' {
        $d = [Nsock.Core.PortProbeOptions]::new()
        Get-HelpDefault Test-SocketPort Timeout | Should -BeLike "$($d.Timeout.TotalSeconds) *"
        Get-HelpDefault Test-SocketPort Parallel | Should -Be "$($d.Parallel)"
    }

    It 'Get-HttpRaw: -Method, -Timeout and -MaximumRedirection are the engine''s HTTP defaults' {
        $d = [Nsock.Core.HttpRequestOptions]::new()
        Get-HelpDefault Get-HttpRaw Method | Should -Be $d.Method
        Get-HelpDefault Get-HttpRaw Timeout | Should -Be "$($d.Timeout.TotalSeconds)"
        Get-HelpDefault Get-HttpRaw MaximumRedirection | Should -Be "$($d.FollowRedirects)"
    }

    It 'Send-SocketData, Receive-SocketData and Send-File connect within the engine''s connect default; Send-File waits the engine''s answer default' {
        $connect = [Nsock.Core.ConnectOptions]::new().Timeout.TotalSeconds
        Get-HelpDefault Send-SocketData Timeout | Should -Be "$connect"
        Get-HelpDefault Receive-SocketData Timeout | Should -Be "$connect"
        Get-HelpDefault Send-File Timeout | Should -BeLike "$connect (connect); $([Nsock.Core.FileSendOptions]::new().Timeout.TotalSeconds) *"
    }

    It 'New-SocketListener: -MaxClients is the engine''s listener default' {
        Get-HelpDefault New-SocketListener MaxClients | Should -Be "$([Nsock.Core.ListenerOptions]::DefaultMaxClients)"
    }

    It 'every -Encoding defaults to utf8' {
        foreach ($c in Get-Command -Module nsock | Where-Object { $_.Parameters.ContainsKey('Encoding') }) {
            Get-HelpDefault $c.Name Encoding | Should -Be 'utf8' -Because "$($c.Name) encodes text as UTF-8 unless told"
        }
    }
}

Describe 'about_nsock' -ForEach @(@{ Runnable = $script:AboutExamples.Count }) {
    It 'has runnable examples and the per-record rule' {
        $Runnable | Should -BeGreaterThan 2
        (Get-Help about_nsock | Out-String) | Should -Match 'ONE CONNECTION, OR ONE PER RECORD'
    }
}

foreach ($example in $script:Examples + @($script:AboutExamples | ForEach-Object { @{ Name = 'about_nsock'; Number = $_.Number; Title = 'from the topic'; Code = $_.Code } })) {
    Describe "Example $($example.Number) of $($example.Name): $($example.Title)" -ForEach @($example) {
        AfterEach { Stop-TestRunspaces }

        It 'runs by itself within 20 seconds, without errors, and stops what it started' {
            $started = [datetime]::Now
            $run = Start-InRunspace -ScriptBlock ([scriptblock]::Create($Code))
            try {
                $output = Wait-InRunspace $run -TimeoutSeconds $script:ExampleSeconds
                $errors = @($run.PowerShell.Streams.Error | ForEach-Object { "$_" })
                $errors | Should -BeNullOrEmpty -Because "example $Number of $Name must write no error"
                $run.PowerShell.InvocationStateInfo.State | Should -Be 'Completed'
                @($output).Count | Should -BeGreaterThan 0 -Because 'an example shows something'
                # Background listeners of the example's session that still run: an example cleans up after itself.
                $check = [PowerShell]::Create()
                try {
                    $check.Runspace = $run.Runspace
                    $running = @($check.AddScript("@(Get-SocketListener | Where-Object { `$_.State -eq 'Running' -and `$_.StartTime -ge [datetime]'$($started.ToString('o'))' })").Invoke())
                }
                finally { $check.Dispose() }
                @($running | ForEach-Object { "$_" }) | Should -BeNullOrEmpty -Because 'an example stops the listeners it starts'
            }
            finally {
                Close-InRunspace $run
            }
        }
    }
}
