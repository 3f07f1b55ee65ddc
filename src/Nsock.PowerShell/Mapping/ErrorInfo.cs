namespace Nsock.PowerShell;

/// <summary>
/// How a failure is reported as an ErrorRecord: its error id (PowerShell adds the cmdlet's name) and the name of
/// its <c>System.Management.Automation.ErrorCategory</c>, kept as text so this needs no PowerShell to test.
/// </summary>
internal sealed record ErrorInfo(string ErrorId, string Category);
