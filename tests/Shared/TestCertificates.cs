using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pipeline.Tests.Shared;

/// <summary>
/// A certificate made for one test and written as PEM files to its own temporary folder: <see cref="CertificatePath"/>
/// (the certificate, followed by its issuer's when it has one, as a TLS server presents its chain) and
/// <see cref="KeyPath"/> (the PKCS#8 private key), as MailDev's <c>--incoming-cert/--incoming-key</c> expect.
/// </summary>
internal sealed class TestCertificate : IDisposable
{
    private TestCertificate(X509Certificate2 certificate, TestCertificate? issuer)
    {
        Certificate = certificate;
        Directory = System.IO.Directory.CreateTempSubdirectory("pipeline-cert-").FullName;
        CertificatePath = Path.Combine(Directory, "cert.pem");
        KeyPath = Path.Combine(Directory, "key.pem");
        File.WriteAllText(CertificatePath, certificate.ExportCertificatePem() + "\n" + issuer?.Certificate.ExportCertificatePem());
        using var key = certificate.GetECDsaPrivateKey()!;
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
    }

    public X509Certificate2 Certificate { get; }

    public string Directory { get; }

    public string CertificatePath { get; }

    public string KeyPath { get; }

    /// <summary>A self-signed server certificate for <paramref name="dnsName"/> (and 127.0.0.1 when it is localhost).</summary>
    public static TestCertificate SelfSigned(string dnsName = "localhost")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = ServerRequest(dnsName, key);
        var now = DateTimeOffset.UtcNow;
        return new TestCertificate(request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1)), null);
    }

    /// <summary>A private certificate authority (CA:true, keyCertSign) that can issue server certificates.</summary>
    public static TestCertificate Authority(string name = "Pipeline Test Private CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return new TestCertificate(request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1)), null);
    }

    /// <summary>
    /// A server certificate for <paramref name="dnsName"/> issued by this authority; its PEM file carries the chain. With
    /// <paramref name="crlUrl"/> it names that CRL distribution point (so its revocation status is looked up there).
    /// </summary>
    public TestCertificate Issue(string dnsName = "localhost", Uri? crlUrl = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = ServerRequest(dnsName, key);
        if (crlUrl is not null)
        {
            request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([crlUrl.AbsoluteUri]));
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(Certificate, now.AddMinutes(-5), now.AddHours(12), RandomNumberGenerator.GetBytes(16));
        return new TestCertificate(issued.CopyWithPrivateKey(key), this);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static CertificateRequest ServerRequest(string dnsName, ECDsa key)
    {
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        if (dnsName == "localhost")
        {
            names.AddIpAddress(IPAddress.Loopback);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        return request;
    }
}
