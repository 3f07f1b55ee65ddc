using System.Text;

namespace Nsock.Core;

// Header bytes are octets: Latin-1 maps each to one char and back without loss, as HTTP parsers do.
internal static class HttpText
{
    public static readonly Encoding Latin1 = Encoding.GetEncoding("iso-8859-1");
}
