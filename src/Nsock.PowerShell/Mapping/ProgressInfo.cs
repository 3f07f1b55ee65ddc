namespace Nsock.PowerShell;

/// <summary>
/// One Write-Progress call, decided without PowerShell: <see cref="Id"/> and <see cref="ParentId"/> nest a file's
/// bar under the run's; -1 means unknown for percent and seconds, and no parent.
/// </summary>
internal sealed record ProgressInfo(int Id, int ParentId, string Activity, string Status, int PercentComplete, int SecondsRemaining, string? CurrentOperation, bool Completed);
