using System.Data.Common;
using Dapper;
using Pipeline.Core.Reference;

namespace Pipeline.Adapters.Store;

/// <summary>
/// Loads <see cref="ReferenceData"/> into the reference tables on every migrate. Keyed tables are upserted (update, then insert
/// what is missing: SQL both engines accept); dated tables (LMNS, memberships) have no natural key and are replaced whole.
/// Nothing references them by foreign key, and it all happens in the migrate transaction, so readers never see them empty.
/// </summary>
internal sealed class ReferenceDataSync(DbConnection connection, DbTransaction transaction, Func<DateOnly?, object?> date, CancellationToken cancellationToken)
{
    public async Task UpsertAsync(ReferenceData reference)
    {
        await ExecuteAsync("delete from organisation_membership", null).ConfigureAwait(false);
        await ExecuteAsync("delete from lmns", null).ConfigureAwait(false);

        await UpsertAsync(
            "region",
            "code",
            ["ons_code", "name"],
            reference.Regions.Select(r => new { key = r.Code, ons_code = r.OnsCode, name = r.Name })).ConfigureAwait(false);
        await UpsertAsync(
            "organisation",
            "code",
            ["name", "effective_from", "effective_to", "deliveries_2022_23", "mbrrace_group"],
            reference.Trusts.Select(t => new
            {
                key = t.Code,
                name = t.Name,
                effective_from = date(t.EffectiveFrom),
                effective_to = date(t.EffectiveTo),
                deliveries_2022_23 = t.Deliveries2022To23,
                mbrrace_group = t.MbrraceGroup,
            })).ConfigureAwait(false);
        await UpsertAsync(
            "indicator",
            "code",
            ["name", "multiplier", "polarity", "window_months", "rare_event", "numerator_definition", "denominator_definition", "source"],
            reference.Indicators.Select(i => new
            {
                key = i.Code,
                name = i.Name,
                multiplier = i.Multiplier,
                polarity = PolarityName(i.Polarity),
                window_months = i.WindowMonths,
                rare_event = i.RareEvent,
                numerator_definition = i.NumeratorDefinition,
                denominator_definition = i.DenominatorDefinition,
                source = i.Source,
            })).ConfigureAwait(false);
        await UpsertAsync(
            "ethnic_category",
            "code",
            ["label", "broad_group", "is_known"],
            reference.EthnicCategories.Select(e => new { key = e.Code, label = e.Label, broad_group = e.BroadGroup, is_known = e.IsKnown })).ConfigureAwait(false);
        await UpsertAsync(
            "imd_decile",
            "decile",
            ["quintile", "label"],
            reference.Deciles.Select(d => new { key = d.Decile, quintile = d.Quintile, label = d.Label })).ConfigureAwait(false);

        await ExecuteAsync(
            "insert into lmns (code, name, region_code, effective_from, effective_to) values (@code, @name, @region, @from, @to)",
            reference.LmnsList.Select(l => new { code = l.Code, name = l.Name, region = l.RegionCode, from = date(l.EffectiveFrom), to = date(l.EffectiveTo) })
                .ToList()).ConfigureAwait(false);
        await ExecuteAsync(
            "insert into organisation_membership (trust_code, lmns_code, effective_from, effective_to) values (@trust, @lmns, @from, @to)",
            reference.Memberships.Select(m => new { trust = m.TrustCode, lmns = m.LmnsCode, from = date(m.EffectiveFrom), to = date(m.EffectiveTo) })
                .ToList()).ConfigureAwait(false);
    }

    internal static string PolarityName(Polarity polarity) => polarity switch
    {
        Polarity.HigherIsWorse => "higher_is_worse",
        Polarity.HigherIsBetter => "higher_is_better",
        _ => "neutral",
    };

    private async Task UpsertAsync<T>(string table, string keyColumn, IReadOnlyList<string> columns, IEnumerable<T> rows)
    {
        var list = rows.ToList();
        var set = string.Join(", ", columns.Select(c => $"{c} = @{c}"));
        await ExecuteAsync($"update {table} set {set} where {keyColumn} = @key", list).ConfigureAwait(false);
        await ExecuteAsync(
            $"insert into {table} ({keyColumn}, {string.Join(", ", columns)}) select @key, {string.Join(", ", columns.Select(c => "@" + c))} " +
            $"where not exists (select 1 from {table} where {keyColumn} = @key)",
            list).ConfigureAwait(false);
    }

    private Task<int> ExecuteAsync(string sql, object? parameters) =>
        connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
}
