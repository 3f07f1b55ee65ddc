using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Nsock.Core;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>
/// --json is written by hand (<see cref="JsonEventWriter"/>); these tests hold it to the bytes the source-generated
/// serializer wrote before (<see cref="ReferenceJsonContext"/>), for every event type the engine and the command
/// define, with every field set and with every optional field left out, each enum value in turn, and text that
/// needs escaping. A field added to an event without a line in the writer fails here.
/// </summary>
public sealed class JsonEventWriterTests
{
    // Text a peer could choose: a quote, a backslash, a control character, a terminal escape, HTML's characters, a
    // non-ASCII letter, a '+' (as in a key pin) and a character outside the BMP.
    private const string Awkward = "a\"b\\c\u0001d\u001b[31m <x>&'é+ \U0001F600";

    private static readonly JsonSerializerOptions Reference = new(ReferenceJsonContext.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = ReferenceJsonContext.Default.WithAddedModifier(static info =>
        {
            foreach (JsonPropertyInfo p in info.Properties)
            {
                if (p.Name == "event") p.Order = -1;
            }
        }),
    };

    public static TheoryData<string> EventTypes()
    {
        var data = new TheoryData<string>();
        foreach (Type t in AllEventTypes()) data.Add(t.FullName!);
        return data;
    }

    [Fact]
    public void EveryEventTypeIsCovered()
    {
        Type[] types = AllEventTypes().ToArray();
        Assert.True(types.Length >= 29, $"found only {types.Length} event types");
        foreach (Type t in types)
        {
            Assert.True(Reference.TryGetTypeInfo(t, out _), $"{t.Name} is missing from ReferenceJsonContext (add it there and to JsonEventWriter)");
        }
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void WritesWhatTheSerializerWrote(string typeName)
    {
        Type type = AllEventTypes().Single(t => t.FullName == typeName);
        var writer = new JsonEventWriter();
        int variants = MaxEnumValues(type, new HashSet<Type>());
        int compared = 0;
        foreach (bool leaveOut in new[] { false, true })
        {
            for (int v = 0; v < variants; v++)
            {
                var e = (NsockEvent)Make(type, v, leaveOut, nullable: false)!;
                string expected = JsonSerializer.Serialize(e, Reference.GetTypeInfo(type));
                string actual = writer.ToLine(e);
                Assert.Equal(expected, actual);
                compared++;
            }
        }
        Assert.True(compared >= 2);
    }

    [Fact]
    public void AnEventWithoutAShapeIsAnErrorNotHalfALine()
    {
        var writer = new JsonEventWriter();
        var error = Assert.Throws<InvalidOperationException>(() => writer.ToLine(new Unknown()));
        Assert.Contains("Unknown", error.Message);
        // The writer is still usable afterwards (the reporter keeps one for the whole run).
        Assert.Equal("{\"event\":\"error\",\"kind\":\"k\",\"message\":\"m\",\"exitCode\":2}", writer.ToLine(new ErrorReport("k", "m", 2)));
    }

    private sealed record Unknown : NsockEvent
    {
        public override string Event => "unknown";
    }

    // Events the command never writes as JSON: HttpView shows the request and the heads to a person (and drops them
    // with --json), and a response goes out as HttpJson.
    private static readonly Type[] NeverJson = { typeof(HttpRequestSent), typeof(HttpHead), typeof(HttpResponse) };

    private static IEnumerable<Type> AllEventTypes() =>
        new[] { typeof(NsockEvent).Assembly, typeof(JsonEventWriter).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t.IsSubclassOf(typeof(NsockEvent)) && !t.IsAbstract && !NeverJson.Contains(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);

    // Enough variants that every value of every enum the event holds (nested records included) appears once.
    private static int MaxEnumValues(Type t, HashSet<Type> seen)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        if (!seen.Add(t)) return 1;
        if (t.IsEnum) return EnumValues(t).Length;
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)) return MaxEnumValues(t.GetGenericArguments()[0], seen);
        if (!IsRecord(t)) return 1;
        int max = 1;
        foreach (PropertyInfo p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance)) max = Math.Max(max, MaxEnumValues(p.PropertyType, seen));
        return max;
    }

    // A socket listing only ever finds these families; the writer writes another one as its number.
    private static Array EnumValues(Type t) =>
        t == typeof(AddressFamily) ? new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6, AddressFamily.Unix } : Enum.GetValues(t);

    private static bool IsRecord(Type t) => t.GetMethod("<Clone>$") is not null;

    // A value for a field: variant v picks the enum value and varies numbers; leaveOut makes every optional field null.
    private static object? Make(Type t, int v, bool leaveOut, bool nullable)
    {
        if (leaveOut && nullable) return null;
        Type? inner = Nullable.GetUnderlyingType(t);
        if (inner is not null) return leaveOut ? null : Make(inner, v, leaveOut, nullable: false);
        if (t == typeof(string)) return $"{Awkward} {v}";
        if (t == typeof(int)) return 1000 * v + 443;
        if (t == typeof(long)) return 5_000_000_000L * (v + 1) + 7;
        if (t == typeof(double)) return (v % 4) switch { 0 => 0.1 + v, 1 => 1234.5678, 2 => 1e-7 * (v + 1), _ => 3.0 * v };
        if (t == typeof(bool)) return v % 2 == 0;
        if (t == typeof(DateTimeOffset)) return new DateTimeOffset(2026, 12, 1, 6, 30, 15, TimeSpan.FromHours(v % 3)).AddTicks(1_234_567 * (v + 1));
        if (t.IsEnum)
        {
            Array values = EnumValues(t);
            return values.GetValue(v % values.Length);
        }
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            Type element = t.GetGenericArguments()[0];
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            if (!leaveOut)
            {
                list.Add(Make(element, v, leaveOut, nullable: false));
                list.Add(Make(element, v + 1, leaveOut, nullable: false));
            }
            return list;
        }
        if (IsRecord(t)) return MakeRecord(t, v, leaveOut);
        throw new InvalidOperationException($"no sample value for {t} (teach Make)");
    }

    private static object MakeRecord(Type t, int v, bool leaveOut)
    {
        var nullability = new NullabilityInfoContext();
        ConstructorInfo ctor = t.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        object?[] args = ctor.GetParameters()
            .Select(p => Make(p.ParameterType, v, leaveOut, nullable: nullability.Create(p).WriteState == NullabilityState.Nullable))
            .ToArray();
        object record = ctor.Invoke(args);
        string[] fromConstructor = ctor.GetParameters().Select(p => p.Name!).ToArray();
        foreach (PropertyInfo p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.SetMethod is null || !p.SetMethod.IsPublic) continue;
            if (fromConstructor.Contains(p.Name, StringComparer.OrdinalIgnoreCase)) continue;
            p.SetValue(record, Make(p.PropertyType, v, leaveOut, nullable: nullability.Create(p).WriteState == NullabilityState.Nullable));
        }
        return record;
    }
}
