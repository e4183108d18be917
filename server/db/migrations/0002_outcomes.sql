-- Pupil outcomes and school context from DfE and Ofsted files: one wide table per dataset.
--
-- A figure the source gives as a DfE code (NA, NP, NE, SUPP, LOWCOV, SUPPMAT) or leaves blank is
-- null here, and `missing` says why under the column's name ({"p8": "suppressed"}): an absent
-- figure is never a zero. Columns a source file does not carry at all stay null without a reason.
--
-- No foreign key to school: outcome files name URNs the register does not have (closed or
-- renumbered schools), and keeping those rows lets a later register import pick them up. The
-- importers count them as `unknownSchools`. The primary keys make a re-import an update in place.

create table ks2_result (
  urn                 integer not null check (urn between 100000 and 999999),
  academic_year       text not null check (academic_year ~ '^\d{4}/\d{2}$'),
  release             text not null default 'final' check (release in ('provisional', 'revised', 'final')),
  record_type         smallint,      -- performance tables' RECTYPE: 1 mainstream, 2 special
  pupils              integer check (pupils >= 0),
  boys                integer check (boys >= 0),
  girls               integer check (girls >= 0),
  read_progress       numeric,
  read_progress_band  smallint check (read_progress_band between 1 and 5),
  read_score          numeric,
  read_expected_pct   numeric check (read_expected_pct between 0 and 100),
  read_higher_pct     numeric check (read_higher_pct between 0 and 100),
  write_progress      numeric,
  write_progress_band smallint check (write_progress_band between 1 and 5),
  write_score         numeric,
  write_expected_pct  numeric check (write_expected_pct between 0 and 100),
  write_higher_pct    numeric check (write_higher_pct between 0 and 100),
  maths_progress      numeric,
  maths_progress_band smallint check (maths_progress_band between 1 and 5),
  maths_score         numeric,
  maths_expected_pct  numeric check (maths_expected_pct between 0 and 100),
  maths_higher_pct    numeric check (maths_higher_pct between 0 and 100),
  rwm_expected_pct    numeric check (rwm_expected_pct between 0 and 100),
  rwm_higher_pct      numeric check (rwm_higher_pct between 0 and 100),
  missing             jsonb not null default '{}'::jsonb,
  source              text not null,
  primary key (urn, academic_year, release)
);
create index ks2_result_year_idx on ks2_result (academic_year);

create table ks4_result (
  urn                     integer not null check (urn between 100000 and 999999),
  academic_year           text not null check (academic_year ~ '^\d{4}/\d{2}$'),
  release                 text not null default 'final' check (release in ('provisional', 'revised', 'final')),
  record_type             smallint,
  pupils                  integer check (pupils >= 0),
  boys                    integer check (boys >= 0),
  girls                   integer check (girls >= 0),
  p8_pupils               integer check (p8_pupils >= 0),
  p8_adjusted_pupils      integer check (p8_adjusted_pupils >= 0), -- pupils whose extreme scores were capped
  p8                      numeric,
  p8_ci_low               numeric,
  p8_ci_high              numeric,
  p8_unadjusted           numeric,  -- before the 2018/19 capping of extremely negative scores
  p8_unadjusted_ci_low    numeric,
  p8_unadjusted_ci_high   numeric,
  p8_boys                 numeric,
  p8_girls                numeric,
  p8_band                 smallint check (p8_band between 1 and 5),
  a8                      numeric,
  a8_boys                 numeric,
  a8_girls                numeric,
  basics_94_pct           numeric check (basics_94_pct between 0 and 100),
  basics_95_pct           numeric check (basics_95_pct between 0 and 100),
  ebacc_entry_pct         numeric check (ebacc_entry_pct between 0 and 100),
  ebacc_aps               numeric,
  ebacc_aps_boys          numeric,
  ebacc_aps_girls         numeric,
  ebacc_94_pct            numeric check (ebacc_94_pct between 0 and 100),
  ebacc_95_pct            numeric check (ebacc_95_pct between 0 and 100),
  five_em_94_pct          numeric check (five_em_94_pct between 0 and 100),
  missing                 jsonb not null default '{}'::jsonb,
  source                  text not null,
  primary key (urn, academic_year, release)
);
create index ks4_result_year_idx on ks4_result (academic_year);

create table ks5_result (
  urn                  integer not null check (urn between 100000 and 999999),
  academic_year        text not null check (academic_year ~ '^\d{4}/\d{2}$'),
  release              text not null default 'final' check (release in ('provisional', 'revised', 'final')),
  record_type          smallint,
  alevel_va            numeric,
  alevel_progress_band smallint check (alevel_progress_band between 1 and 5),
  alevel_aps           numeric,
  alevel_grade         text,          -- average result as a grade, e.g. "C+"
  missing              jsonb not null default '{}'::jsonb,
  source               text not null,
  primary key (urn, academic_year, release)
);
create index ks5_result_year_idx on ks5_result (academic_year);

-- January school census (performance tables' "census" file).
create table school_census (
  urn                       integer not null check (urn between 100000 and 999999),
  academic_year             text not null check (academic_year ~ '^\d{4}/\d{2}$'),
  census_type               text,     -- the file's SCHOOLTYPE, e.g. "State-funded primary"
  pupils                    integer check (pupils >= 0),
  girls                     integer check (girls >= 0),
  boys                      integer check (boys >= 0),
  girls_pct                 numeric check (girls_pct between 0 and 100),
  boys_pct                  numeric check (boys_pct between 0 and 100),
  sen_ehcp                  integer check (sen_ehcp >= 0),      -- statement or EHC plan
  sen_ehcp_pct              numeric check (sen_ehcp_pct between 0 and 100),
  sen_support               integer check (sen_support >= 0),
  sen_support_pct           numeric check (sen_support_pct between 0 and 100),
  eal                       integer check (eal >= 0),
  eal_pct                   numeric check (eal_pct between 0 and 100),
  english_first             integer check (english_first >= 0),
  english_first_pct         numeric check (english_first_pct between 0 and 100),
  language_unclassified     integer check (language_unclassified >= 0),
  language_unclassified_pct numeric check (language_unclassified_pct between 0 and 100),
  fsm                       integer check (fsm >= 0),
  fsm_ever6                 integer check (fsm_ever6 >= 0),
  fsm_ever6_pct             numeric check (fsm_ever6_pct between 0 and 100),
  missing                   jsonb not null default '{}'::jsonb,
  source                    text not null,
  primary key (urn, academic_year)
);

create table school_absence (
  urn                    integer not null check (urn between 100000 and 999999),
  academic_year          text not null check (academic_year ~ '^\d{4}/\d{2}$'),
  overall_absence_pct    numeric check (overall_absence_pct between 0 and 100),
  persistent_absence_pct numeric check (persistent_absence_pct between 0 and 100),
  missing                jsonb not null default '{}'::jsonb,
  source                 text not null,
  primary key (urn, academic_year)
);

-- Deprivation pupil premium allocations; academic_year is the year the money is for. Pupil
-- numbers are full-time equivalents (a part-time pupil counts as half), hence numeric.
create table pupil_premium (
  urn                    integer not null check (urn between 100000 and 999999),
  academic_year          text not null check (academic_year ~ '^\d{4}/\d{2}$'),
  pupils                 numeric check (pupils >= 0),
  primary_pupils         numeric check (primary_pupils >= 0),
  primary_eligible       numeric check (primary_eligible >= 0),
  primary_eligible_pct   numeric check (primary_eligible_pct between 0 and 100),
  primary_allocation     numeric check (primary_allocation >= 0),
  secondary_pupils       numeric check (secondary_pupils >= 0),
  secondary_eligible     numeric check (secondary_eligible >= 0),
  secondary_eligible_pct numeric check (secondary_eligible_pct between 0 and 100),
  secondary_allocation   numeric check (secondary_allocation >= 0),
  eligible               numeric check (eligible >= 0),
  allocation             numeric check (allocation >= 0),
  missing                jsonb not null default '{}'::jsonb,
  source                 text not null,
  primary key (urn, academic_year)
);

-- Ofsted inspection history: one row per school per inspection day.
create table ofsted_inspection (
  urn          integer not null check (urn between 100000 and 999999),
  inspected_on date not null,
  grade        text not null check (grade in ('outstanding', 'good', 'requires_improvement', 'inadequate')),
  source       text not null,
  primary key (urn, inspected_on)
);

-- Code lists the register's files refer to (openregister school types, GIAS establishment types
-- and type groups). Kept here because importers resolve codes against them; `list` names the
-- code list, `parent_code` is the code's group in the same family (a type's type group).
create table register_code (
  list        text not null,
  code        text not null,
  label       text not null,
  parent_code text,
  starts_on   date,
  ends_on     date,
  extra       jsonb not null default '{}'::jsonb,
  primary key (list, code)
);

-- Register and outcome imports update most schools several times in a row (type, address,
-- coordinates, inspection, context), one file after another. With free room on each page those
-- updates stay on the page and skip the indexes (HOT updates), about three times faster on PGlite;
-- the price is a school table about half as full.
alter table school set (fillfactor = 60);
