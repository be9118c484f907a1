using System.Security.Cryptography;
using System.Text;

namespace Pipeline.App.Processing;

/// <summary>
/// A submission's identity: sha256 over the content's sha256, the organisation and the period. The same bytes delivered
/// again for the same organisation-month are the same submission, whatever the file is called.
/// </summary>
public static class SubmissionIdentity
{
    public static async Task<(string Sha256, long Length)> HashAsync(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long length = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            length += read;
        }

        return (Convert.ToHexStringLower(hash.GetHashAndReset()), length);
    }

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static string For(string contentSha256, string organisationCode, string reportingPeriod) =>
        Sha256Hex($"{contentSha256}\n{organisationCode}\n{reportingPeriod}");
}
