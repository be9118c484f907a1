-- Who receives alert emails (docs/alerts.md §4), kept in the store so every host routes the same way: in Azure there is
-- no data directory to hold a contacts file. Managed with `pipeline contacts`. One row per recipient of a scope and code.
create table contact (
    scope varchar(10) not null constraint ck_contact_scope check (scope in ('lmns', 'region', 'default')),
    code nvarchar(16) not null,
    email nvarchar(320) not null,
    name nvarchar(200) not null,
    updated_at datetimeoffset(7) not null,
    constraint pk_contact primary key (scope, code, email)
);
