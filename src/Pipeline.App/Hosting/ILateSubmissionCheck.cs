namespace Pipeline.App.Hosting;

/// <summary>What a host's daily timer calls to find trusts that have not submitted a period by its deadline and notify.</summary>
public interface ILateSubmissionCheck
{
    Task RunAsync(CancellationToken cancellationToken);
}
