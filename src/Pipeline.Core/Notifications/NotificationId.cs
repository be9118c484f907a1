using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Core.Notifications;

/// <summary>Deterministic notification ids: a hash of what the notification is about, so a re-run maps to the same outbox row.</summary>
public static class NotificationId
{
    /// <summary>32 lowercase hex characters (128 bits of SHA-256) over the parts, each terminated by a newline.</summary>
    public static string From(NotificationKind kind, IEnumerable<string> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var text = new StringBuilder().Append(kind).Append('\n');
        foreach (var part in parts)
        {
            text.Append(part).Append('\n');
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
