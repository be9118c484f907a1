using Pipeline.Core.Notifications;

namespace Pipeline.Core.Tests.Notifications;

public class RetryPolicyTests
{
    private static readonly DateTimeOffset FailedAt = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Delays_double_from_one_minute_and_are_capped_at_two_hours()
    {
        var policy = RetryPolicy.Default;

        var delays = Enumerable.Range(1, 10).Select(a => policy.NextAttempt(a, FailedAt)!.Value - FailedAt).ToList();

        Assert.Equal(
            new[] { 1, 2, 4, 8, 16, 32, 64, 120, 120, 120 }.Select(m => TimeSpan.FromMinutes(m)),
            delays);
    }

    [Fact]
    public void After_the_last_attempt_there_is_no_next_attempt()
    {
        var policy = new RetryPolicy { MaxAttempts = 3 };

        Assert.NotNull(policy.NextAttempt(2, FailedAt));
        Assert.Null(policy.NextAttempt(3, FailedAt));
    }
}
