using System;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>
/// The AOT binary never fetches what a server's certificate points at (its Authority Information Access URL for the
/// issuer): that download is cut from the binary for size (src/Nsock.Cli/ILLink.Substitutions.xml). A server that
/// sends its leaf without the intermediate is an unknown CA, as for openssl s_client and curl. The URL is a python3
/// http.server on loopback that serves the intermediate and logs each request, so a fetch would both be seen and
/// would make the chain verify. A JIT build (nsock.dll: the framework-dependent tool) fetches nothing either: the
/// engine's chain policy says so (TlsNoDownloadTests).
/// </summary>
public sealed class TlsCertificateDownloadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nsock-aia-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [LinuxFact]
    public async Task A_missing_intermediate_is_not_downloaded_from_the_certificates_url_by_the_aot_binary()
    {
        Directory.CreateDirectory(P("www"));
        using ChildProcess http = ChildProcess.Start("python3", new[] { "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", P("www") });
        string serving = await http.StdOut.WaitForLineAsync(l => l.StartsWith("Serving HTTP", StringComparison.Ordinal));
        int httpPort = int.Parse(Regex.Match(serving, @" port (\d+)").Groups[1].Value);

        OpenSsl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=nsock aia root",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-keyout", P("root.key"), "-out", P("root.pem"));
        Signed("int", "nsock aia intermediate", "root", "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n");
        Signed("leaf", "localhost", "int", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"
            + $"authorityInfoAccess=caIssuers;URI:http://127.0.0.1:{httpPort}/int.der\n");
        OpenSsl("x509", "-in", P("int.pem"), "-outform", "der", "-out", Path.Combine(P("www"), "int.der"));

        // The server sends its leaf only (no -cert_chain): the intermediate is reachable only through the leaf's URL.
        using ChildProcess server = ChildProcess.Start("openssl", new[] { "s_server", "-accept", "127.0.0.1:0", "-naccept", "1",
            "-cert", P("leaf.pem"), "-key", P("leaf.key"), "-rev" });
        string accept = await server.StdOut.WaitForLineAsync(l => l.StartsWith("ACCEPT", StringComparison.Ordinal));
        int tlsPort = int.Parse(Regex.Match(accept, @":(\d+)\s*$").Groups[1].Value);

        NsockResult r = await Nsock.RunAsync(new[] { "connect", "--tls", "--ca", P("root.pem"), $"localhost:{tlsPort}" }, Encoding.ASCII.GetBytes("hello\n"));

        // A request of our own after nsock ended: once its log line is read, every earlier request's line has been too.
        using (var probe = new TcpClient())
        {
            await probe.ConnectAsync("127.0.0.1", httpPort);
            await probe.GetStream().WriteAsync(Encoding.ASCII.GetBytes("GET /end-of-test HTTP/1.0\r\n\r\n"));
            int read;
            do read = await probe.GetStream().ReadAsync(new byte[4096]); while (read > 0); // HTTP/1.0: the server closes
        }
        await http.StdErr.WaitForLineAsync(l => l.Contains("/end-of-test", StringComparison.Ordinal));
        string[] fetched = http.StdErr.Text.Split('\n').Where(l => l.Contains("/int.der", StringComparison.Ordinal)).ToArray();

        // AOT (the download cut out) and JIT (the engine's chain policy) alike: nothing fetched, an unknown CA.
        Assert.Empty(fetched);
        Assert.True(r.ExitCode == 7, r.ToString());
        Assert.Contains("unknown CA", r.StdErr);
    }

    /// <summary>Linux only: the cut is in the OpenSSL chain builder; Windows and macOS verify with the OS's own code.</summary>
    public sealed class LinuxFactAttribute : FactAttribute
    {
        public LinuxFactAttribute()
        {
            if (!OperatingSystem.IsLinux()) Skip = "needs Linux (the OpenSSL chain builder; Windows and macOS verify with the OS)";
        }
    }

    private void Signed(string name, string cn, string issuer, string extensions)
    {
        OpenSsl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=" + cn, "-keyout", P(name + ".key"), "-out", P(name + ".csr"));
        File.WriteAllText(P(name + ".ext"), extensions);
        OpenSsl("x509", "-req", "-in", P(name + ".csr"), "-CA", P(issuer + ".pem"), "-CAkey", P(issuer + ".key"), "-CAcreateserial", "-days", "2",
            "-extfile", P(name + ".ext"), "-out", P(name + ".pem"));
    }

    private void OpenSsl(params string[] args)
    {
        using ChildProcess p = ChildProcess.Start("openssl", args);
        p.CloseStdIn();
        int code = p.WaitForExitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        Assert.True(code == 0, $"openssl {string.Join(" ", args)}: exit {code}: {p.StdErr.Text}");
    }

    private string P(string name) => Path.Combine(_dir, name);
}
