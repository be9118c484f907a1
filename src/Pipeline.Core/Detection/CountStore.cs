namespace Pipeline.Core.Detection;

/// <summary>Every series the engine can evaluate, indexed by key and by organisation.</summary>
public sealed class CountStore
{
    private readonly Dictionary<SeriesKey, CountSeries> _series = [];
    private readonly Dictionary<(Level, string), List<CountSeries>> _byOrganisation = [];

    public IEnumerable<CountSeries> Series => _series.Values;

    /// <summary>The (level, organisation) pairs with any data.</summary>
    public IEnumerable<(Level Level, string OrganisationCode)> Organisations => _byOrganisation.Keys;

    /// <summary>Builds the store; rows for the same series, month and group are summed.</summary>
    public static CountStore From(IEnumerable<GroupCount> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var store = new CountStore();
        foreach (var row in counts)
        {
            store.Add(row);
        }

        return store;
    }

    public void Add(GroupCount row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var key = new SeriesKey(row.Level, row.OrganisationCode, row.IndicatorCode, row.Breakdown);
        if (!_series.TryGetValue(key, out var series))
        {
            series = new CountSeries(key);
            _series.Add(key, series);
            var organisation = (row.Level, row.OrganisationCode);
            if (!_byOrganisation.TryGetValue(organisation, out var list))
            {
                list = [];
                _byOrganisation.Add(organisation, list);
            }

            list.Add(series);
        }

        series.Add(row.Period, row.GroupCode, row.Numerator, row.Denominator);
    }

    public CountSeries? Find(SeriesKey key) => _series.GetValueOrDefault(key);

    public IReadOnlyList<CountSeries> SeriesFor(Level level, string organisationCode) =>
        _byOrganisation.TryGetValue((level, organisationCode), out var list) ? list : [];
}
