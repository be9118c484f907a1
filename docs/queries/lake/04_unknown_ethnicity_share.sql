-- name: lake_unknown_ethnicity_share
-- question: Month by month, what share of each trust's births has no ethnic group recorded (Z not stated, 99 not known)?
-- parameters: none
-- engines: DuckDB.
select organisation_code, reporting_period,
       sum(denominator) filter (where broad_group = 'Unknown') as unknown_births,
       sum(denominator) as births,
       round(1.0 * sum(denominator) filter (where broad_group = 'Unknown') / nullif(sum(denominator), 0), 4) as unknown_share
from read_parquet('lake/measures/**/*.parquet', hive_partitioning = true)
where indicator_code = 'stillbirth'
  and breakdown = 'ethnic_category'
group by organisation_code, reporting_period
order by unknown_share desc, organisation_code, reporting_period;
