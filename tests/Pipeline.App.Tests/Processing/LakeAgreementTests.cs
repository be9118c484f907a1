using Pipeline.Core.Model;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Processing;

public sealed class LakeAgreementTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DuckDB_reading_the_lake_agrees_row_for_row_with_v_measure_current()
    {
        await using var h = await PipelineHarness.CreateAsync();
        var periods = new[] { new Period(2026, 8), new Period(2026, 9), new Period(2026, 10) };
        var seed = 0;
        foreach (var period in periods)
        {
            foreach (var trust in new[] { "R0A", "R0B", "R1K" })
            {
                await h.DropAsync(SampleSubmissions.Typical(trust, period, ++seed));
            }
        }

        // Revisions: two for one month, one for another, and a rejected file that must change nothing.
        await h.DropAsync(SampleSubmissions.Typical("R0A", periods[0], ++seed), "revised.json");
        await h.DropAsync(SampleSubmissions.Typical("R0A", periods[0], ++seed), "revised-again.json");
        await h.DropAsync(SampleSubmissions.Typical("R1K", periods[2], ++seed), "revised.json");
        await h.DropAsync("R0B", periods[1], "garbage.json", "{ not json"u8.ToArray());

        var sql = await h.Store.GetCurrentMeasuresAsync(null, Ct);
        var lake = h.LakeCurrentMeasures();

        Assert.Equal(9 * 540, sql.Count);
        Assert.Equal(sql, lake);
    }
}
