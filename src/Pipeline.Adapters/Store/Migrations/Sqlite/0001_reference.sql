-- Reference data: loaded from ReferenceData (idempotent upsert) on every migrate, never edited by hand.
create table region (
    code text not null primary key,
    ons_code text not null,
    name text not null
);

-- An LMNS code can be reused across ICB reorganisations, so rows are dated and the code alone is not a key.
create table lmns (
    code text not null,
    name text not null,
    region_code text not null references region (code),
    effective_from text null,
    effective_to text null
);
create index ix_lmns_code on lmns (code);

create table organisation (
    code text not null primary key,
    name text not null,
    effective_from text null,
    effective_to text null,
    deliveries_2022_23 integer null,
    mbrrace_group text null
);

create table organisation_membership (
    trust_code text not null references organisation (code),
    lmns_code text not null,
    effective_from text null,
    effective_to text null
);
create index ix_organisation_membership_trust on organisation_membership (trust_code);

create table indicator (
    code text not null primary key,
    name text not null,
    multiplier integer not null,
    polarity text not null,
    window_months integer not null,
    rare_event integer not null,
    numerator_definition text not null,
    denominator_definition text not null,
    source text not null
);

create table ethnic_category (
    code text not null primary key,
    label text not null,
    broad_group text not null,
    is_known integer not null
);

create table imd_decile (
    decile integer not null primary key,
    quintile integer not null,
    label text not null
);
