using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Nsock.PowerShell.Tests;

/// <summary>An assembly read with System.Reflection.Metadata: nothing in it is loaded or run.</summary>
internal sealed class Metadata : IDisposable
{
    private readonly PEReader _pe;

    public Metadata(string path)
    {
        Path = path;
        _pe = new PEReader(File.OpenRead(path));
        Reader = _pe.GetMetadataReader();
    }

    public string Path { get; }

    public MetadataReader Reader { get; }

    public string Name => Reader.GetString(Reader.GetAssemblyDefinition().Name);

    public Version Version => Reader.GetAssemblyDefinition().Version;

    /// <summary>What the assembly was built for (its TargetFrameworkAttribute), e.g. ".NETCoreApp,Version=v8.0".</summary>
    public string? TargetFramework =>
        Attributes(Reader.GetAssemblyDefinition().GetCustomAttributes(), "System.Runtime.Versioning.TargetFrameworkAttribute")
            .Select(a => a.FixedArguments[0].Value as string).FirstOrDefault();

    public void Dispose() => _pe.Dispose();

    /// <summary>Every type defined here, by full name (nested types as Outer+Inner).</summary>
    public IEnumerable<(string Name, TypeDefinition Type, TypeDefinitionHandle Handle)> Types() =>
        Reader.TypeDefinitions.Select(h => (FullName(Reader, h), Reader.GetTypeDefinition(h), h));

    public TypeDefinition? Find(string fullName)
    {
        foreach ((string name, TypeDefinition type, _) in Types())
        {
            if (name == fullName) return type;
        }
        return null;
    }

    /// <summary>The names of the assemblies this one references, with the versions it asks for.</summary>
    public IEnumerable<(string Name, Version Version)> References() =>
        Reader.AssemblyReferences.Select(h => Reader.GetAssemblyReference(h)).Select(r => (Reader.GetString(r.Name), r.Version));

    /// <summary>The full name of the base type (null for System.Object and interfaces).</summary>
    public string? BaseTypeName(TypeDefinition type) => type.BaseType.IsNil ? null : type.BaseType.Kind switch
    {
        HandleKind.TypeDefinition => FullName(Reader, (TypeDefinitionHandle)type.BaseType),
        HandleKind.TypeReference => FullName(Reader, (TypeReferenceHandle)type.BaseType),
        _ => Reader.GetTypeSpecification((TypeSpecificationHandle)type.BaseType).DecodeSignature(TypeNameProvider.Instance, null),
    };

    /// <summary>The type and its bases that are defined in this assembly, most derived first.</summary>
    public IEnumerable<TypeDefinition> SelfAndBases(TypeDefinition type)
    {
        for (TypeDefinition? t = type; t is TypeDefinition current; t = current.BaseType.Kind == HandleKind.TypeDefinition ? Reader.GetTypeDefinition((TypeDefinitionHandle)current.BaseType) : null)
            yield return current;
    }

    /// <summary>The chain of base type names, up to the first one defined elsewhere.</summary>
    public IEnumerable<string> BaseChain(TypeDefinition type)
    {
        foreach (TypeDefinition t in SelfAndBases(type))
        {
            string? b = BaseTypeName(t);
            if (b is not null) yield return b;
        }
    }

    /// <summary>The custom attributes of <paramref name="parent"/> whose type has this full name, decoded.</summary>
    public IEnumerable<CustomAttributeValue<string>> Attributes(CustomAttributeHandleCollection handles, string attributeType)
    {
        foreach (CustomAttributeHandle h in handles)
        {
            CustomAttribute a = Reader.GetCustomAttribute(h);
            if (AttributeTypeName(a) == attributeType) yield return a.DecodeValue(TypeNameProvider.Instance);
        }
    }

    public string AttributeTypeName(CustomAttribute a) => a.Constructor.Kind switch
    {
        HandleKind.MemberReference => Reader.GetMemberReference((MemberReferenceHandle)a.Constructor).Parent.Kind == HandleKind.TypeReference
            ? FullName(Reader, (TypeReferenceHandle)Reader.GetMemberReference((MemberReferenceHandle)a.Constructor).Parent)
            : "?",
        HandleKind.MethodDefinition => FullName(Reader, Reader.GetMethodDefinition((MethodDefinitionHandle)a.Constructor).GetDeclaringType()),
        _ => "?",
    };

    /// <summary>Public properties: name, type, and the property itself (for its attributes).</summary>
    public IEnumerable<(string Name, string Type, PropertyDefinition Property)> Properties(TypeDefinition type)
    {
        foreach (PropertyDefinitionHandle h in type.GetProperties())
        {
            PropertyDefinition p = Reader.GetPropertyDefinition(h);
            MethodDefinitionHandle getter = p.GetAccessors().Getter;
            if (getter.IsNil || (Reader.GetMethodDefinition(getter).Attributes & MethodAttributes.MemberAccessMask) != MethodAttributes.Public) continue;
            yield return (Reader.GetString(p.Name), p.DecodeSignature(TypeNameProvider.Instance, null).ReturnType, p);
        }
    }

    /// <summary>Names and constant values of the public const string fields of a type (e.g. VerbsCommon).</summary>
    public IEnumerable<(string Name, string Value)> StringConstants(TypeDefinition type)
    {
        foreach (FieldDefinitionHandle h in type.GetFields())
        {
            FieldDefinition f = Reader.GetFieldDefinition(h);
            if ((f.Attributes & FieldAttributes.Literal) == 0 || f.GetDefaultValue().IsNil) continue;
            Constant c = Reader.GetConstant(f.GetDefaultValue());
            if (c.TypeCode != ConstantTypeCode.String) continue;
            yield return (Reader.GetString(f.Name), Reader.GetBlobReader(c.Value).ReadConstant(ConstantTypeCode.String) as string ?? "");
        }
    }

    /// <summary>The member names of an enum.</summary>
    public IEnumerable<string> EnumMembers(TypeDefinition type)
    {
        foreach (FieldDefinitionHandle h in type.GetFields())
        {
            FieldDefinition f = Reader.GetFieldDefinition(h);
            if ((f.Attributes & FieldAttributes.Literal) != 0) yield return Reader.GetString(f.Name);
        }
    }

    public static string FullName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        TypeDefinition t = reader.GetTypeDefinition(handle);
        string name = reader.GetString(t.Name);
        TypeDefinitionHandle outer = t.GetDeclaringType();
        if (!outer.IsNil) return FullName(reader, outer) + "+" + name;
        string ns = reader.GetString(t.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    public static string FullName(MetadataReader reader, TypeReferenceHandle handle)
    {
        TypeReference t = reader.GetTypeReference(handle);
        string name = reader.GetString(t.Name);
        if (t.ResolutionScope.Kind == HandleKind.TypeReference) return FullName(reader, (TypeReferenceHandle)t.ResolutionScope) + "+" + name;
        string ns = reader.GetString(t.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }
}
