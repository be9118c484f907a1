-- name: lake_imd_quintile_rates_by_region
-- question: What is the preterm birth rate in each IMD quintile, region by region, over all months in the lake?
-- parameters: none
-- engines: DuckDB. imd_quintile is filled for decile and quintile submissions alike (null for U, not assignable).
select region_code, imd_quintile,
       sum(numerator) as preterm_births,
       sum(denominator) as live_births,
       1000.0 * sum(numerator) / nullif(sum(denominator), 0) as per_1000
from read_parquet('lake/measures/**/*.parquet', hive_partitioning = true)
where indicator_code = 'preterm_birth'
  and breakdown in ('imd_decile', 'imd_quintile')
  and imd_quintile is not null
group by region_code, imd_quintile
order by region_code, imd_quintile;
