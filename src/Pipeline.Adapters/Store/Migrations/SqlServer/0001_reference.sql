-- Reference data: loaded from ReferenceData (idempotent upsert) on every migrate, never edited by hand.
create table region (
    code nvarchar(16) not null primary key,
    ons_code nvarchar(16) not null,
    name nvarchar(200) not null
);

-- An LMNS code can be reused across ICB reorganisations, so rows are dated and the code alone is not a key.
create table lmns (
    code nvarchar(16) not null,
    name nvarchar(200) not null,
    region_code nvarchar(16) not null references region (code),
    effective_from date null,
    effective_to date null
);
create index ix_lmns_code on lmns (code);

create table organisation (
    code nvarchar(16) not null primary key,
    name nvarchar(200) not null,
    effective_from date null,
    effective_to date null,
    deliveries_2022_23 int null,
    mbrrace_group nvarchar(16) null
);

create table organisation_membership (
    trust_code nvarchar(16) not null references organisation (code),
    lmns_code nvarchar(16) not null,
    effective_from date null,
    effective_to date null
);
create index ix_organisation_membership_trust on organisation_membership (trust_code);

create table indicator (
    code nvarchar(64) not null primary key,
    name nvarchar(200) not null,
    multiplier int not null,
    polarity nvarchar(32) not null,
    window_months int not null,
    rare_event bit not null,
    numerator_definition nvarchar(1000) not null,
    denominator_definition nvarchar(1000) not null,
    source nvarchar(200) not null
);

create table ethnic_category (
    code nvarchar(8) not null primary key,
    label nvarchar(200) not null,
    broad_group nvarchar(32) not null,
    is_known bit not null
);

create table imd_decile (
    decile int not null primary key,
    quintile int not null,
    label nvarchar(64) not null
);
