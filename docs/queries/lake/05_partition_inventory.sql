-- name: lake_partition_inventory
-- question: Which months are in the lake, how many trusts and rows each, and which files hold them?
-- parameters: none
-- engines: DuckDB. `period` and `organisation` are the hive partition columns (folder names), so this reads footers only.
select period,
       count(distinct organisation) as organisations,
       count(*) as measure_rows,
       count(distinct filename) as files
from read_parquet('lake/measures/**/*.parquet', hive_partitioning = true, filename = true)
group by period
order by period;
