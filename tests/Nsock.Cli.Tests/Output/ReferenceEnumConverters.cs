using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using Nsock.Core;

namespace Nsock.Cli.Tests;

/// <summary>
/// The reference serializer's converters (see ReferenceJsonContext): an engine state as the word nsock prints for it
/// (<c>sent</c>, <c>content-length</c>, <c>tcp</c>), so <c>--json</c> says what the text output says.
/// </summary>
internal abstract class TextEnumConverter<T> : JsonConverter<T>
    where T : struct, Enum
{
    private readonly Func<T, string> _text;

    protected TextEnumConverter(Func<T, string> text) => _text = text;

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string? given = reader.GetString();
        foreach (T value in Enum.GetValues<T>())
        {
            if (_text(value) == given) return value;
        }
        throw new JsonException($"'{given}' is not a {typeof(T).Name}");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(_text(value));
}

/// <summary>sent, received, skipped, refused, failed.</summary>
internal sealed class FileStatusReference() : TextEnumConverter<FileStatus>(static s => s.ToText());

/// <summary>none, chunked, content-length, close.</summary>
internal sealed class HttpFramingReference() : TextEnumConverter<HttpFraming>(static f => f.ToText());

/// <summary>tcp, udp, unix.</summary>
internal sealed class TransportReference() : TextEnumConverter<Transport>(static t => t.ToText());

/// <summary>A file digest's name as nsock prints it: xxh128, sha256.</summary>
internal sealed class FileHashAlgorithmReference() : TextEnumConverter<FileHashAlgorithm>(static a => a.ToText());
