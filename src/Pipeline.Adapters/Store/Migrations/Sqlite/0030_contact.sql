-- Who receives alert emails (docs/alerts.md §4), kept in the store so every host routes the same way: in Azure there is
-- no data directory to hold a contacts file. Managed with `pipeline contacts`. One row per recipient of a scope and code.
-- Codes and addresses compare case-insensitively, as SQL Server's default collation does.
create table contact (
    scope text not null check (scope in ('lmns', 'region', 'default')),
    code text not null collate nocase,
    email text not null collate nocase,
    name text not null,
    updated_at text not null,
    primary key (scope, code, email)
);
