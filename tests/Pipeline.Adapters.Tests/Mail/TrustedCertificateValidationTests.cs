using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pipeline.Adapters.Mail;
using Pipeline.Tests.Shared;

namespace Pipeline.Adapters.Tests.Mail;

/// <summary>
/// The relay-certificate check on its own, with certificates made in the test, so its refusals are proven without a mail
/// server (the MailDev TLS tests in Pipeline.App.Tests prove the same path end to end).
/// </summary>
public sealed class TrustedCertificateValidationTests
{
    private const SslPolicyErrors UntrustedChain = SslPolicyErrors.RemoteCertificateChainErrors;

    [Fact]
    public void A_relay_certificate_the_file_trusts_is_accepted_when_the_only_problem_is_an_untrusted_chain()
    {
        using var relay = TestCertificate.SelfSigned();

        Assert.True(TrustedCertificateValidation.IsTrusted([relay.Certificate], relay.Certificate, null, UntrustedChain));
    }

    [Fact]
    public void A_certificate_issued_by_a_trusted_private_ca_is_accepted()
    {
        using var authority = TestCertificate.Authority();
        using var relay = authority.Issue();

        Assert.True(TrustedCertificateValidation.IsTrusted([authority.Certificate], relay.Certificate, null, UntrustedChain));
    }

    [Fact]
    public void A_name_mismatch_is_refused_even_for_a_trusted_certificate()
    {
        using var relay = TestCertificate.SelfSigned();

        Assert.False(TrustedCertificateValidation.IsTrusted(
            [relay.Certificate], relay.Certificate, null, UntrustedChain | SslPolicyErrors.RemoteCertificateNameMismatch));
    }

    [Fact]
    public void No_certificate_or_nothing_trusted_is_refused()
    {
        using var relay = TestCertificate.SelfSigned();

        Assert.False(TrustedCertificateValidation.IsTrusted([relay.Certificate], null, null, SslPolicyErrors.RemoteCertificateNotAvailable));
        Assert.False(TrustedCertificateValidation.IsTrusted([], relay.Certificate, null, UntrustedChain));
    }

    [Fact]
    public void Trusting_an_unrelated_certificate_does_not_trust_the_relay()
    {
        using var relay = TestCertificate.SelfSigned();
        using var other = TestCertificate.SelfSigned();
        using var otherAuthority = TestCertificate.Authority("Someone Else's CA");

        Assert.False(TrustedCertificateValidation.IsTrusted([other.Certificate, otherAuthority.Certificate], relay.Certificate, null, UntrustedChain));
    }

    [Fact]
    public void An_expired_trusted_certificate_is_refused()
    {
        using var expired = Certificate(DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1), serverAuthentication: true);

        Assert.False(TrustedCertificateValidation.IsTrusted([expired], expired, null, UntrustedChain));
    }

    [Fact]
    public void A_trusted_certificate_not_meant_for_servers_is_refused()
    {
        using var clientOnly = Certificate(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), serverAuthentication: false);

        Assert.False(TrustedCertificateValidation.IsTrusted([clientOnly], clientOnly, null, UntrustedChain));
    }

    private static X509Certificate2 Certificate(DateTimeOffset notBefore, DateTimeOffset notAfter, bool serverAuthentication)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        var purpose = serverAuthentication ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2";
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(purpose)], false));
        return request.CreateSelfSigned(notBefore, notAfter);
    }
}
