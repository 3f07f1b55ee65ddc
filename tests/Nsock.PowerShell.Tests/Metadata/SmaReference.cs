using System;
using System.Collections.Generic;
using System.Linq;

namespace Nsock.PowerShell.Tests;

/// <summary>
/// What PowerShell itself defines, read from the metadata of PowerShellStandard.Library's reference assembly:
/// the approved verbs (the constants of VerbsCommon, VerbsData, ...: what Get-Verb lists) and the ErrorCategory
/// names. Read, never loaded: System.Management.Automation is not present at run time.
/// </summary>
internal static class SmaReference
{
    private static readonly string[] s_verbClasses =
    {
        "VerbsCommon", "VerbsCommunications", "VerbsData", "VerbsDiagnostic", "VerbsLifecycle", "VerbsOther", "VerbsSecurity",
    };

    private static readonly Lazy<IReadOnlySet<string>> s_verbs = new(() =>
    {
        using var md = new Metadata(Repo.SmaReference);
        var verbs = new HashSet<string>(StringComparer.Ordinal);
        foreach (string cls in s_verbClasses)
        {
            var type = md.Find("System.Management.Automation." + cls) ?? throw new InvalidOperationException(cls + " is not in " + Repo.SmaReference);
            foreach ((_, string value) in md.StringConstants(type)) verbs.Add(value);
        }
        return verbs;
    });

    private static readonly Lazy<IReadOnlySet<string>> s_categories = new(() =>
    {
        using var md = new Metadata(Repo.SmaReference);
        var type = md.Find("System.Management.Automation.ErrorCategory") ?? throw new InvalidOperationException("no ErrorCategory in " + Repo.SmaReference);
        return md.EnumMembers(type).ToHashSet(StringComparer.Ordinal);
    });

    public static IReadOnlySet<string> ApprovedVerbs => s_verbs.Value;

    public static IReadOnlySet<string> ErrorCategories => s_categories.Value;

    /// <summary>Parameters every cmdlet gets from PowerShell; a cmdlet may not declare them.</summary>
    public static readonly IReadOnlyList<string> CommonParameters = new[]
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable",
        "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm",
        "vb", "db", "ea", "wa", "infa", "proga", "ev", "wv", "iv", "ov", "ob", "pv", "wi", "cf",
    };
}
