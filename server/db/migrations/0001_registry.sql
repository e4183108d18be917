-- The registry: schools, the networks they form, dated memberships, typologies.
-- Vocabulary columns hold the codes listed in common/vocabulary.ts (checked at the boundary).

create table school (
  id                  bigserial primary key,
  urn                 integer unique check (urn between 100000 and 999999),
  name                text not null,
  phase               text,
  school_type         text,
  type_label          text,          -- the register's own type name, kept as imported
  religious_character text,
  gender_intake       text,
  la_code             integer,
  la_name             text,
  region              text,
  street              text,
  town                text,
  postcode            text,
  latitude            double precision check (latitude between -90 and 90),
  longitude           double precision check (longitude between -180 and 180),
  easting             integer,
  northing            integer,
  age_low             integer,
  age_high            integer,
  pupil_roll          integer check (pupil_roll >= 0),
  fsm_pct             numeric(5,2) check (fsm_pct between 0 and 100),
  sen_pct             numeric(5,2) check (sen_pct between 0 and 100),
  eal_pct             numeric(5,2) check (eal_pct between 0 and 100),
  context_year        text,          -- academic year the roll/FSM/SEN/EAL figures describe
  urban_rural         text,
  inspection_grade    text,
  inspection_date     date,
  status              text not null default 'open',
  opened_on           date,
  closed_on           date,
  sources             text[] not null default '{}',
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  check (closed_on is null or opened_on is null or closed_on >= opened_on)
);
create index school_name_idx on school (lower(name) text_pattern_ops);
create index school_la_idx on school (la_name);
create index school_phase_idx on school (phase);

-- Predecessor/successor/amalgamation links between establishments (the register's links file).
create table school_link (
  urn            integer not null,
  link_urn       integer not null,
  link_type      text not null,
  established_on date,
  primary key (urn, link_urn, link_type)
);
create index school_link_link_idx on school_link (link_urn);

create table network (
  id                   bigserial primary key,
  source_key           text unique,   -- e.g. gias-group:2044; lets re-imports find the same network
  name                 text not null,
  kind                 text not null,
  federation_form      text,          -- hard | soft, for federations
  purpose              text,
  formation            text,          -- voluntary | incentivised | mandated
  governance_mode      text,          -- shared | lead_organisation | network_administrative_organisation
  legal_status         text,
  companies_house_no   text,
  group_code           text,          -- the register's group id (TRxxxxx) where there is one
  opened_on            date,
  closed_on            date,
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now(),
  check (closed_on is null or opened_on is null or closed_on >= opened_on)
);
create index network_name_idx on network (lower(name) text_pattern_ops);
create index network_kind_idx on network (kind);

-- A school's membership of a network over time. joined_on null = member since before our
-- records; left_on null = still a member. The interval is [joined_on, left_on).
create table membership (
  id          bigserial primary key,
  school_id   bigint not null references school (id) on delete cascade,
  network_id  bigint not null references network (id) on delete cascade,
  role        text not null default 'member',
  joined_on   date,
  left_on     date,
  source      text,
  created_at  timestamptz not null default now(),
  check (left_on is null or joined_on is null or left_on >= joined_on)
);
create unique index membership_one_open_idx on membership (school_id, network_id) where left_on is null;
create index membership_network_idx on membership (network_id, joined_on);
create index membership_school_idx on membership (school_id);

-- What users declare about a network on the classification schemes (DOMAIN.md §2).
create table network_typology (
  network_id  bigint primary key references network (id) on delete cascade,
  declared    jsonb not null default '{}'::jsonb,
  updated_at  timestamptz not null default now()
);

create table import_run (
  id           bigserial primary key,
  kind         text not null,
  file_name    text not null,
  sha256       text not null,
  as_of        date,
  rows_read    integer not null default 0,
  rows_loaded  integer not null default 0,
  rows_skipped integer not null default 0,
  summary      jsonb not null default '{}'::jsonb,
  started_at   timestamptz not null default now(),
  finished_at  timestamptz
);
