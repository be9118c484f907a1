using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pipeline.Adapters.Mail;

/// <summary>
/// Server certificate validation for a relay whose certificate is not in the machine's trust store (a private CA or an
/// on-premises relay's self-signed certificate): the certificate is accepted when the system store already trusts it,
/// or when its chain ends in one of the configured certificates (<c>Pipeline:Mail:TrustedCertificateFile</c>). Nothing
/// else is relaxed: a certificate for another host name, or none at all, is still refused, and the chain is built with
/// the same revocation policy MailKit used (revocation is only skipped for a chain whose certificates name no CRL or
/// OCSP address, which a small private CA's often do). There is deliberately no "accept any certificate" mode.
/// </summary>
public static class TrustedCertificateValidation
{
    private const string CrlDistributionPoints = "2.5.29.31";
    private const string AuthorityInformationAccess = "1.3.6.1.5.5.7.1.1";
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    /// <summary>A validation callback that trusts the system store plus <paramref name="trusted"/>.</summary>
    public static RemoteCertificateValidationCallback For(X509Certificate2Collection trusted)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        return (_, certificate, chain, errors) => IsTrusted(trusted, certificate, chain, errors);
    }

    /// <summary>
    /// True when there are no policy errors, or when the only error is an untrusted chain and the presented certificate
    /// chains (through the intermediates the server sent) to one of <paramref name="trusted"/>, is within its validity
    /// dates, is usable for server authentication and is not revoked (when its chain says where to look).
    /// </summary>
    public static bool IsTrusted(X509Certificate2Collection trusted, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // A name mismatch or a missing certificate stays a failure whatever is trusted.
        if (certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors || trusted.Count == 0)
        {
            return false;
        }

        using var leaf = new X509Certificate2(certificate);
        var revocation = chain?.ChainPolicy.RevocationMode ?? X509RevocationMode.Online;
        var (built, onlyRevocationUnknown, namesRevocationSource) = Build(trusted, leaf, chain, revocation);
        if (built)
        {
            return true;
        }

        // A private CA often issues certificates that name no CRL or OCSP address, so their revocation status cannot be
        // known; only then is the chain checked again without revocation. A certificate that names an address that
        // cannot be reached still fails, as it does for a publicly trusted certificate.
        return onlyRevocationUnknown && !namesRevocationSource && Build(trusted, leaf, chain, X509RevocationMode.NoCheck).Built;
    }

    private static (bool Built, bool OnlyRevocationUnknown, bool NamesRevocationSource) Build(
        X509Certificate2Collection trusted, X509Certificate2 leaf, X509Chain? presented, X509RevocationMode revocation)
    {
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(trusted);
        custom.ChainPolicy.ApplicationPolicy.Add(ServerAuthentication);
        custom.ChainPolicy.RevocationMode = revocation;
        if (presented is not null)
        {
            custom.ChainPolicy.RevocationFlag = presented.ChainPolicy.RevocationFlag;
            foreach (var element in presented.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (custom.Build(leaf))
        {
            return (true, false, false);
        }

        const X509ChainStatusFlags Unknown = X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation;
        var onlyRevocationUnknown = custom.ChainStatus.Length > 0 && custom.ChainStatus.All(s => (s.Status & ~Unknown) == 0);
        var namesRevocationSource = custom.ChainElements.Cast<X509ChainElement>()
            .Any(e => e.Certificate.Extensions[CrlDistributionPoints] is not null || e.Certificate.Extensions[AuthorityInformationAccess] is not null);
        return (false, onlyRevocationUnknown, namesRevocationSource);
    }

    /// <summary>The certificates in a PEM file, for <see cref="MailOptions.TrustedCertificates"/> (empty when it holds none).</summary>
    public static X509Certificate2Collection LoadPem(string path)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(path);
        return certificates;
    }
}
