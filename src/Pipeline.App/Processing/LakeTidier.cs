using Pipeline.Adapters.Lake;
using Pipeline.Adapters.Storage;
using Pipeline.Adapters.Store;
using Pipeline.Core.Model;

namespace Pipeline.App.Processing;

/// <summary>
/// Keeps each lake partition to what SQL says is current: the last step of a load, and what a host runs at start to finish
/// what a process killed between the SQL load and the tidy left behind.
/// </summary>
public sealed class LakeTidier(IObjectStore objects, IPipelineStore store, MeasureLake lake)
{
    /// <summary>Tidies every partition holding more than one file; returns how many it tidied.</summary>
    public async Task<int> TidyAllAsync(CancellationToken cancellationToken)
    {
        var partitions = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var info in objects.ListAsync(MeasureLake.CurrentRoot + "/", cancellationToken).ConfigureAwait(false))
        {
            var partition = info.Key[..(info.Key.LastIndexOf('/') + 1)];
            partitions[partition] = partitions.GetValueOrDefault(partition) + 1;
        }

        var tidied = 0;
        foreach (var (partition, _) in partitions.Where(p => p.Value > 1))
        {
            if (MeasureLake.TryParsePartition(partition) is var (organisation, period))
            {
                await TidyAsync(organisation, period, cancellationToken).ConfigureAwait(false);
                tidied++;
            }
        }

        return tidied;
    }

    // Two versions of one organisation-month processed at once (blob trigger instances, watch workers) tidy concurrently: a tidy
    // that read SQL before the other's load committed acts on a stale answer. So each tidy reads SQL again after it has moved
    // files and repeats until the answer held throughout; the last tidy to finish then agrees with the committed state.
    public async Task TidyAsync(string organisationCode, Period period, CancellationToken cancellationToken)
    {
        var current = (await store.FindCurrentAsync(organisationCode, period, cancellationToken).ConfigureAwait(false))?.Id;
        for (var round = 0; round < 10; round++)
        {
            await lake.RetireOthersAsync(organisationCode, period, current, cancellationToken).ConfigureAwait(false);
            var after = (await store.FindCurrentAsync(organisationCode, period, cancellationToken).ConfigureAwait(false))?.Id;
            if (after == current)
            {
                return;
            }

            current = after;
        }
    }
}
