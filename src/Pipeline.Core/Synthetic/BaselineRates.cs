namespace Pipeline.Core.Synthetic;

/// <summary>
/// A plausible national rate for an indicator and its denominator as a share of a trust's deliveries.
/// </summary>
/// <param name="Rate">The proportion (0–1) every group has when nothing is planted.</param>
/// <param name="DenominatorShare">Denominator per delivery (e.g. term vaginal births ≈ half of deliveries).</param>
/// <param name="Source">Where the rate comes from; "assumed" marks a plausible value without a reference number.</param>
public sealed record BaselineRate(double Rate, double DenominatorShare, string Source);

/// <summary>
/// National reference rates (MBRRACE-UK 2021; MSDS 2022-23; sources in reference/SOURCES.md), plausible values elsewhere.
/// </summary>
public static class BaselineRates
{
    private static readonly Dictionary<string, BaselineRate> Rates = new(StringComparer.Ordinal)
    {
        ["stillbirth"] = new(0.00354, 1.0, "MBRRACE UK 2021: 2,473 / 698,909"),
        ["neonatal_death"] = new(0.00165, 0.996, "MBRRACE UK 2021: 1.65 per 1,000 live births"),
        ["preterm_birth"] = new(0.0793, 0.97, "MSDS 2022-23: <37 weeks 7.93%"),
        ["apgar_lt7_term"] = new(0.01169, 0.90, "MSDS 2022-23: Apgar 0–6 11.69 per 1,000"),
        ["low_birthweight_term"] = new(0.0375, 0.90, "MSDS 2022-23: term low birthweight 3.75%"),
        ["perineal_tear_3rd_4th"] = new(0.030, 0.50, "assumed"),
        ["pph_1500ml"] = new(0.030, 1.0, "assumed"),
        ["smoking_at_booking"] = new(0.132, 1.0, "MSDS 2022-23: smoker at booking 13.2%"),
        ["smoking_at_delivery"] = new(0.088, 0.98, "assumed"),
        ["breastmilk_first_feed"] = new(0.729, 0.95, "MSDS 2022-23: breast milk at first feed 72.9%"),
        ["booking_by_10_weeks"] = new(0.613, 1.0, "MSDS 2022-23: booked ≤70 days 61.3%"),
        ["continuity_of_carer_28_weeks"] = new(0.15, 0.90, "assumed"),
        ["skin_to_skin_1hr_term"] = new(0.80, 0.85, "assumed"),
        ["birth_without_intervention"] = new(0.20, 0.45, "assumed"),
        ["neonatal_unit_admission_term"] = new(0.06, 0.92, "assumed"),
        ["caesarean"] = new(0.378, 1.0, "MSDS 2022-23: caesarean 37.8%"),
        ["emergency_caesarean"] = new(0.21, 1.0, "assumed"),
        ["induction_of_labour"] = new(0.310, 0.97, "MSDS 2022-23: induced onset 31.0%"),
    };

    private static readonly BaselineRate Fallback = new(0.10, 1.0, "assumed (indicator added by a region)");

    public static BaselineRate For(string indicatorCode) => Rates.GetValueOrDefault(indicatorCode) ?? Fallback;
}
