using System.Globalization;
using Pipeline.Core.Model;

namespace Pipeline.Core.Text.Receipts;

/// <summary>
/// What a receipt says beyond the validation verdict: when the file arrived against the month's deadline, and for an
/// accepted file its totals and which earlier file it replaced (or which later one stays current).
/// </summary>
/// <param name="ReceivedAt">When the pipeline first received the file (UTC).</param>
/// <param name="Deadline">The month's submission deadline (<see cref="SubmissionCalendar"/>).</param>
/// <param name="Totals">The accepted file's totals; null when rejected.</param>
/// <param name="Replaced">The accepted file this one replaced as current; null when it is the month's first.</param>
/// <param name="KeptCurrent">A later-received file that stays current (this one is kept as history); null otherwise.</param>
public sealed record ReceiptFacts(
    DateTimeOffset ReceivedAt,
    DateTimeOffset Deadline,
    SubmissionTotals? Totals = null,
    EarlierFile? Replaced = null,
    EarlierFile? KeptCurrent = null)
{
    public bool OnTime => ReceivedAt <= Deadline;

    /// <summary>"on time (received 2026-11-03 09:00 UTC; deadline 2026-11-15 23:59 UTC)" or "late (…)".</summary>
    /// <remarks>A rejected file (no totals) is neither: only its times are given.</remarks>
    public string Timeliness => Totals is null
        ? $"received {Utc(ReceivedAt)}; deadline {Utc(Deadline)}"
        : $"{(OnTime ? "on time" : "late")} (received {Utc(ReceivedAt)}; deadline {Utc(Deadline)})";

    /// <summary>Which file this one replaced or did not, in one sentence; null for a rejected file.</summary>
    public string? Replacement => Totals is null ? null
        : KeptCurrent is { } later ? $"Kept as history: {later.Describe()} was received later and stays current."
        : Replaced is { } earlier ? $"Replaces {earlier.Describe()}, which is kept as history."
        : "The first accepted file for this month.";

    internal static string Utc(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}

/// <summary>An earlier (or later) file of the same trust and month.</summary>
public sealed record EarlierFile(string FileName, DateTimeOffset ReceivedAt)
{
    public string Describe() => $"'{FileName}' received {ReceiptFacts.Utc(ReceivedAt)}";
}

/// <summary>An accepted file's totals: rows, indicators and, per indicator, its total-breakdown numerator and denominator.</summary>
public sealed record SubmissionTotals(int Rows, IReadOnlyList<IndicatorTotal> Indicators)
{
    public long Denominators => Indicators.Sum(i => i.Denominator);

    public static SubmissionTotals From(Submission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var indicators = submission.Measures
            .GroupBy(m => m.IndicatorCode, StringComparer.Ordinal)
            .Select(g => g.Where(m => m.Breakdown == Breakdown.Total).ToList() is { Count: > 0 } totals
                ? new IndicatorTotal(g.Key, totals.Sum(m => m.Numerator), totals.Sum(m => m.Denominator))
                : new IndicatorTotal(g.Key, 0, 0))
            .OrderBy(i => i.IndicatorCode, StringComparer.Ordinal)
            .ToList();
        return new SubmissionTotals(submission.Measures.Count, indicators);
    }

    /// <summary>"1,234 measure rows, 18 indicators, denominators of the total rows summing to 40,210".</summary>
    public string Describe()
    {
        var rows = string.Create(CultureInfo.InvariantCulture, $"{Rows:N0} measure row{(Rows == 1 ? string.Empty : "s")}");
        var count = Indicators.Count;
        var indicators = string.Create(CultureInfo.InvariantCulture, $"{count:N0} indicator{(count == 1 ? string.Empty : "s")}");
        var denominators = Denominators.ToString("N0", CultureInfo.InvariantCulture);
        return $"{rows}, {indicators}, denominators of the total rows summing to {denominators}";
    }
}

/// <summary>One indicator's total row (breakdown <c>total</c>): numerator of denominator.</summary>
public sealed record IndicatorTotal(string IndicatorCode, long Numerator, long Denominator);
