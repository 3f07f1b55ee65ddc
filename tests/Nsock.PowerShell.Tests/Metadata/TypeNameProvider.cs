using System.Collections.Immutable;
using System.Linq;
using System.Reflection.Metadata;

namespace Nsock.PowerShell.Tests;

/// <summary>Decodes signatures and custom attribute values to plain type names (System.String, System.Nullable`1&lt;System.Int32&gt;).</summary>
internal sealed class TypeNameProvider : ICustomAttributeTypeProvider<string>, ISignatureTypeProvider<string, object?>
{
    public static readonly TypeNameProvider Instance = new();

    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "System." + typeCode;

    public string GetSystemType() => "System.Type";

    public string GetSZArrayType(string elementType) => elementType + "[]";

    public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => Metadata.FullName(reader, handle);

    public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => Metadata.FullName(reader, handle);

    // Type arguments of attributes are serialized as (assembly-qualified) names; keep the type's own name.
    public string GetTypeFromSerializedName(string name) => name.Split(',')[0].Trim();

    // Every enum in the attributes read here (ConfirmImpact) is an int.
    public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;

    public bool IsSystemType(string type) => type == "System.Type";

    public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";

    public string GetByReferenceType(string elementType) => elementType + "&";

    public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";

    public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType + "<" + string.Join(",", typeArguments) + ">";

    public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

    public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

    public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

    public string GetPinnedType(string elementType) => elementType;

    public string GetPointerType(string elementType) => elementType + "*";

    public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
}
