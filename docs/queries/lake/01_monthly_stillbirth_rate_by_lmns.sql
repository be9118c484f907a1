-- name: lake_monthly_stillbirth_rate_by_lmns
-- question: What is the monthly stillbirth rate per 1,000 of every LMNS, from the lake (current accepted submissions only)?
-- parameters: none
-- engines: DuckDB. The lake carries each row's LMNS and region as in force that month, so no membership join is needed.
select lmns_code, reporting_period,
       count(distinct organisation_code) as trusts_reporting,
       sum(numerator) as stillbirths,
       sum(denominator) as births,
       1000.0 * sum(numerator) / nullif(sum(denominator), 0) as per_1000
from read_parquet('lake/measures/**/*.parquet', hive_partitioning = true)
where indicator_code = 'stillbirth'
  and breakdown = 'total'
group by lmns_code, reporting_period
order by lmns_code, reporting_period;
