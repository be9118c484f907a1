namespace Pipeline.Core.Notifications;

/// <summary>
/// When to try a failed notification again: exponential backoff from <see cref="FirstDelay"/>, doubling per attempt up to
/// <see cref="MaxDelay"/>, giving up (status failed) after <see cref="MaxAttempts"/> attempts. Defaults: 1 minute, 2 hours,
/// 24 attempts (about two days of a mail server being down before an operator has to step in).
/// </summary>
public sealed record RetryPolicy
{
    public static readonly RetryPolicy Default = new();

    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromHours(2);

    public int MaxAttempts { get; init; } = 24;

    /// <summary>The next attempt after the <paramref name="attempts"/>-th failure, or null to give up.</summary>
    public DateTimeOffset? NextAttempt(int attempts, DateTimeOffset failedAt)
    {
        if (attempts >= MaxAttempts)
        {
            return null;
        }

        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(FirstDelay.Ticks * factor, MaxDelay.Ticks));
        return failedAt + delay;
    }
}
