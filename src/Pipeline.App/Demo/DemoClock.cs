namespace Pipeline.App.Demo;

/// <summary>
/// The demo replays two years of uploads in a minute; each file is stamped as received when a trust would have sent it
/// (days after its month ended), so submission status, deadlines and alert "since" dates read as they would in real life.
/// </summary>
public sealed class DemoClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Set(DateTimeOffset instant) => _now = instant;
}
