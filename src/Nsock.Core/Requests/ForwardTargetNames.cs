namespace Nsock.Core;

// A forward's TLS target is checked by the TLS client's own rules (TlsClient.From, TlsFiles), whose messages name our
// certificate as TlsCertificate: on a forward that is the listener's (--cert), so the target's is named apart
// (--target-cert, -ForwardCertificatePath). Everything else is spelled as the face spells it.
internal sealed class ForwardTargetNames : IOptionNames
{
    private readonly IOptionNames _names;

    public ForwardTargetNames(IOptionNames names) => _names = names;

    public string Option(NsockOption option) => _names.Option(option switch
    {
        NsockOption.TlsCertificate => NsockOption.TargetCertificate,
        NsockOption.TlsKey => NsockOption.TargetKey,
        NsockOption.TlsCertificatePassword => NsockOption.TargetCertificatePassword,
        _ => option,
    });

    public string Verb(NsockVerb verb) => _names.Verb(verb);
}
