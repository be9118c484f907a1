-- name: lake_black_vs_white_booking_by_trust
-- question: Over the 12 months to a period, how does Black women's booking by 10 weeks compare with White women's, trust by trust?
-- parameters: $period_end (the first day of the last month, a DATE, e.g. DATE '2026-10-01')
-- engines: DuckDB. Pooled counts and the plain ratio of proportions; the store's v_group_comparison adds the CIs and the rule.
with window_rows as (
    select organisation_code, broad_group, numerator, denominator
    from read_parquet('lake/measures/**/*.parquet', hive_partitioning = true)
    where indicator_code = 'booking_by_10_weeks'
      and breakdown = 'ethnic_category'
      and broad_group in ('Black', 'White')
      and reporting_period > $period_end - interval 12 month
      and reporting_period <= $period_end
), pooled as (
    select organisation_code,
           sum(numerator) filter (where broad_group = 'Black') as black_booked,
           sum(denominator) filter (where broad_group = 'Black') as black_women,
           sum(numerator) filter (where broad_group = 'White') as white_booked,
           sum(denominator) filter (where broad_group = 'White') as white_women
    from window_rows
    group by organisation_code
)
select organisation_code, black_booked, black_women, white_booked, white_women,
       100.0 * black_booked / nullif(black_women, 0) as black_percent,
       100.0 * white_booked / nullif(white_women, 0) as white_percent,
       (1.0 * black_booked / nullif(black_women, 0)) / nullif(1.0 * white_booked / nullif(white_women, 0), 0) as ratio
from pooled
order by ratio nulls last;
