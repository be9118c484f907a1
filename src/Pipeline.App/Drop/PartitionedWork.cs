namespace Pipeline.App.Drop;

/// <summary>
/// Runs work items on up to N workers while items sharing a key (an organisation-month) run one after another, in the given
/// order, on one worker: distinct trusts go in parallel, two versions of one month keep their order and never race each other.
/// </summary>
public static class PartitionedWork
{
    /// <summary>Results in the order of <paramref name="items"/>.</summary>
    /// <param name="continueGroup">
    /// False for a result after which the rest of its group waits for the next run (their results stay default): a file that
    /// could not even be received must not let a later file of the same month be received before it.
    /// </param>
    public static async Task<IReadOnlyList<TResult>> RunAsync<TItem, TResult>(
        IReadOnlyList<TItem> items,
        Func<TItem, string> keyOf,
        int workers,
        Func<TItem, CancellationToken, Task<TResult>> work,
        CancellationToken cancellationToken,
        Func<TResult, bool>? continueGroup = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(keyOf);
        ArgumentNullException.ThrowIfNull(work);
        var results = new TResult[items.Count];
        var groups = items.Select((item, index) => (item, index)).GroupBy(x => keyOf(x.item), StringComparer.Ordinal).ToList();
        await Parallel.ForEachAsync(
            groups,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers), CancellationToken = cancellationToken },
            async (group, ct) =>
            {
                foreach (var (item, index) in group)
                {
                    results[index] = await work(item, ct).ConfigureAwait(false);
                    if (continueGroup is not null && !continueGroup(results[index]))
                    {
                        return;
                    }
                }
            }).ConfigureAwait(false);
        return results;
    }

    /// <summary>The organisation-month part of a drop key <c>submissions/{org}/{period}/{file}</c> (the whole folder for other shapes).</summary>
    public static string PartitionOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.LastIndexOf('/');
        return slash < 0 ? string.Empty : key[..slash];
    }
}
