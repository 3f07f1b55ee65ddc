using System.Management.Automation;
using System.Text;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// Lets -Encoding take a name (utf8, ascii, unicode, latin1, a web name, a code page) or an Encoding object,
/// on Windows PowerShell 5.1 and PowerShell 7 alike.
/// </summary>
public sealed class EncodingTransformationAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc />
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        object value = inputData is PSObject ps ? ps.BaseObject : inputData;
        if (value is Encoding) return value;
        try
        {
            return EncodingNames.Resolve(value?.ToString() ?? "");
        }
        catch (NsockException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
    }
}
