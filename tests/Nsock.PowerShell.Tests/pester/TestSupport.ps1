# Shared by every *.Tests.ps1 in this folder (dot-sourced from BeforeAll). Imports the built module and gives
# loopback peers and bounded waits: everything binds 127.0.0.1 (or a Unix socket in the temp folder) on port 0,
# and every wait gives up after $script:WaitSeconds, so a hang fails the test instead of stalling the run.
# Works in PowerShell 7 and Windows PowerShell 5.1 (no ??, no ternaries).

$script:WaitSeconds = 10
$script:RepoRoot = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..', '..'))
$script:ModulePath = $env:NSOCK_MODULE_PATH
if (-not $script:ModulePath) { $script:ModulePath = [System.IO.Path]::Combine($script:RepoRoot, 'artifacts', 'module', 'nsock') }
if (-not (Test-Path -Path ([System.IO.Path]::Combine($script:ModulePath, '*', 'nsock.psd1')))) {
    throw "the nsock module is not built at $script:ModulePath: run 'bash scripts/build --no-demo' first (or set NSOCK_MODULE_PATH)"
}
Import-Module $script:ModulePath -Force -ErrorAction Stop
$script:IsWindowsHost = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT

function Get-ClosedTcpPort {
    # A loopback port nothing listens on: a socket bound but never listening, held until this pwsh exits. The kernel
    # refuses connections to it, and no other test's port-0 bind can be handed the port meanwhile (a port closed
    # right away could be, and then answer as someone else's listener).
    if ($null -eq $global:NsockHeldClosedPorts) { $global:NsockHeldClosedPorts = [System.Collections.Generic.List[object]]::new() }
    $s = [System.Net.Sockets.Socket]::new([System.Net.Sockets.AddressFamily]::InterNetwork, [System.Net.Sockets.SocketType]::Stream, [System.Net.Sockets.ProtocolType]::Tcp)
    $s.Bind([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
    $global:NsockHeldClosedPorts.Add($s)
    $s.LocalEndPoint.Port
}

function Get-ClosedUdpPort {
    $u = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
    $port = $u.Client.LocalEndPoint.Port
    $u.Dispose()
    $port
}

function Wait-Until {
    # True as soon as $Condition holds; false when it still does not after $TimeoutSeconds.
    param([Parameter(Mandatory)] [scriptblock] $Condition, [double] $TimeoutSeconds = $script:WaitSeconds)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        if (& $Condition) { return $true }
        Start-Sleep -Milliseconds 50
    }
    [bool](& $Condition)
}

function New-UnixSocketPath {
    [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'nsock-' + [guid]::NewGuid().ToString('N').Substring(0, 12) + '.sock')
}

function Start-Echo {
    # A background echo listener on a free loopback port.
    param([switch] $Udp)
    New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Echo -Udp:$Udp -Background
}

function Start-Peer {
    # A background relay listener for one client: sends $InputObject to it (then half-closes) and keeps what it sends.
    param([object[]] $InputObject, [string] $Encoding = 'utf8')
    if ($PSBoundParameters.ContainsKey('InputObject')) {
        $InputObject | New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Background -Encoding $Encoding
    } else {
        New-SocketListener -Port 0 -LocalAddress 127.0.0.1 -Background -Encoding $Encoding
    }
}

# Every runspace Start-InRunspace opened and not yet stopped: Stop-TestRunspaces (called by each file's AfterEach)
# stops and disposes whatever a failing test left behind, so nothing keeps running into the next test.
$script:OpenRuns = [System.Collections.Generic.List[object]]::new()

function Start-InRunspace {
    # Runs $ScriptBlock in a runspace of its own (the module imported there too), so that this one can be its
    # peer, and so that it can be stopped as Ctrl+C stops a pipeline. Output objects appear in .Output as written.
    # One script in one pipeline (no AddStatement batch): a batch outliving its runspace crashes pwsh.
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock, [hashtable] $Arguments = @{})
    $iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
    $iss.ImportPSModule([string[]] @($script:ModulePath))
    $runspace = [System.Management.Automation.Runspaces.RunspaceFactory]::CreateRunspace($iss)
    $runspace.Open()
    $ps = [PowerShell]::Create()
    $ps.Runspace = $runspace
    $null = $ps.AddScript($ScriptBlock.ToString())
    foreach ($name in $Arguments.Keys) { $null = $ps.AddParameter($name, $Arguments[$name]) }
    $inputData = [System.Management.Automation.PSDataCollection[psobject]]::new()
    $inputData.Complete()
    $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
    $handle = $ps.BeginInvoke($inputData, $output)
    $run = [pscustomobject]@{ PowerShell = $ps; Runspace = $runspace; Output = $output; Handle = $handle; Closed = $false }
    $script:OpenRuns.Add($run)
    $run
}

function Close-InRunspace {
    # Stops the pipeline if it still runs (bounded), then disposes the pipeline and its runspace. Throws if stopping hangs.
    param([Parameter(Mandatory)] $Run)
    if ($Run.Closed) { return }
    $Run.Closed = $true
    $null = $script:OpenRuns.Remove($Run)
    try {
        if (-not $Run.Handle.IsCompleted) {
            $stop = $Run.PowerShell.BeginStop($null, $null)
            if (-not $stop.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($script:WaitSeconds))) {
                throw "the pipeline did not stop within $script:WaitSeconds seconds"
            }
        }
    }
    finally {
        $Run.PowerShell.Dispose()
        $Run.Runspace.Dispose()
    }
}

function Stop-InRunspace {
    # What Ctrl+C does: stop the pipeline (StopProcessing). Returns the seconds stopping took; throws if it hangs.
    param([Parameter(Mandatory)] $Run)
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    Close-InRunspace $Run
    $clock.Stop()
    $clock.Elapsed.TotalSeconds
}

function Wait-InRunspace {
    # Waits (bounded) for a runspace's pipeline to end by itself; returns its output.
    param([Parameter(Mandatory)] $Run, [double] $TimeoutSeconds = $script:WaitSeconds)
    if (-not $Run.Handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($TimeoutSeconds))) {
        throw "the pipeline did not end within $TimeoutSeconds seconds"
    }
    $Run.PowerShell.EndInvoke($Run.Handle) | Out-Null
    $Run.Output
}

function Stop-TestRunspaces {
    # Every Describe's AfterEach: closes every runspace a test opened and left running (a failed assertion skips its
    # finally). It also notes the finished test in $env:NSOCK_PESTER_PROGRESS, so that when a file's run is killed
    # for hanging, the runner knows which test hung (the first one after the last finished) and fails it alone.
    foreach ($run in @($script:OpenRuns)) {
        try { Close-InRunspace $run } catch { Write-Warning "a test's runspace did not stop: $_" }
    }
    if ($env:NSOCK_PESTER_PROGRESS -and $____Pester -and $____Pester.CurrentTest) {
        [System.IO.File]::AppendAllText($env:NSOCK_PESTER_PROGRESS, $____Pester.CurrentTest.ExpandedPath + [Environment]::NewLine)
    }
}

function Start-SilentPeer {
    # A loopback TCP port whose connections complete (the kernel accepts them into the backlog) but that never
    # reads, answers or closes: the peer for timeouts and Ctrl+C. Stop it with .Stop().
    $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $l.Start()
    $l
}

# Independent peers: processes that are not this module (python3 sockets, the nsock command), so a cmdlet is
# checked against something other than its own engine. Each prints its port first; Stop-ProcessPeer ends it by PID.
$script:NsockBin = $env:NSOCK_BIN
if (-not $script:NsockBin) { $script:NsockBin = [System.IO.Path]::Combine($script:RepoRoot, 'artifacts', 'bin', 'nsock') }

$script:PythonEchoServer = @'
import socket, socketserver, sys
class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        while True:
            data = self.request.recv(65536)
            if not data:
                break
            self.request.sendall(data.upper() if sys.argv[1] == "upper" else data)
        self.request.shutdown(socket.SHUT_WR)
class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
with Server(("127.0.0.1", 0), Echo) as server:
    print(server.server_address[1], flush=True)
    server.serve_forever()
'@

$script:PythonSender = @'
import socket, sys
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(8)
print(l.getsockname()[1], flush=True)
while True:
    c, _ = l.accept()
    c.sendall(sys.argv[1].encode()); c.shutdown(socket.SHUT_WR)
    while c.recv(65536):
        pass
    c.close()
'@

function Start-ProcessPeer {
    # Starts $FilePath with $ArgumentList and waits (bounded) for the port in its first output line: a number, or a
    # JSON event with "port":N (nsock --json).
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList = @())
    $start = [System.Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($a in $ArgumentList) { $start.ArgumentList.Add($a) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    # The port is on the first line that names one: a bare number, "port":N (nsock --json), ACCEPT host:N
    # (openssl s_server, on stdout), "port N" (python3 -m http.server), LISTENING N (tests/Assets/test_proxy.py).
    $deadline = [DateTime]::UtcNow.AddSeconds($script:WaitSeconds)
    $port = $null
    $seen = [System.Collections.Generic.List[string]]::new()
    while ($null -eq $port -and [DateTime]::UtcNow -lt $deadline) {
        $read = $process.StandardOutput.ReadLineAsync()
        $left = $deadline - [DateTime]::UtcNow
        if ($left -le [TimeSpan]::Zero -or -not $read.Wait($left) -or $null -eq $read.Result) { break }
        $line = $read.Result
        $seen.Add($line)
        if ($line -match '^\s*(\d+)\s*$' -or $line -match '"port":(\d+)' -or $line -match '^ACCEPT .*:(\d+)$' -or $line -match ' port (\d+)' -or $line -match '^LISTENING (\d+)$') { $port = [int] $Matches[1] }
    }
    if ($null -eq $port) {
        $process.Kill($true)
        throw "$FilePath printed no port within $script:WaitSeconds seconds: $($seen -join ' | ')"
    }
    [pscustomobject]@{ Process = $process; Port = $port; Id = $process.Id }
}

function Stop-ProcessPeer {
    param([Parameter(Mandatory, ValueFromPipeline)] $Peer)
    process {
        if (-not $Peer.Process.HasExited) { $Peer.Process.Kill($true) }
        $null = $Peer.Process.WaitForExit(5000)
        $Peer.Process.Dispose()
    }
}

function Start-PythonEcho { param([switch] $Upper) Start-ProcessPeer python3 @('-c', $script:PythonEchoServer, $(if ($Upper) { 'upper' } else { 'same' })) }

function Start-PythonSender { param([Parameter(Mandatory)] [string] $Text) Start-ProcessPeer python3 @('-c', $script:PythonSender, $Text) }

function Start-NsockEcho {
    # The nsock command itself (the AOT binary scripts/build made) as an echo server.
    if (-not (Test-Path -LiteralPath $script:NsockBin)) { throw "no nsock binary at $script:NsockBin: run 'bash scripts/build --no-demo'" }
    Start-ProcessPeer $script:NsockBin @('listen', '127.0.0.1:0', '--echo', '--json')
}

function Test-LinesFit {
    # True when no line of $Text is longer than $Width (what a table view must do at that width).
    param([Parameter(Mandatory)] [string] $Text, [int] $Width = 80)
    -not ($Text -split "`r?`n" | Where-Object { $_.TrimEnd().Length -gt $Width })
}
