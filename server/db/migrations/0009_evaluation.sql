-- Evidence and impact evaluation (issue 7; docs/evaluation.md): pupil-level results that schools
-- (or an administrator holding a data-sharing agreement) upload, and saved impact evaluations.
--
-- Pupil results are the `outcomes` data class of the access rules: a school's rows are read only
-- by those who may read its outcomes (scope.ts), so they never leave the school's networks
-- without its consent. Pupils are pseudonymised before upload: `pupil_ref` is the school's own
-- reference, never a name or a UPN (the importer refuses a value that looks like a UPN).

create table pupil_upload (
  id           bigserial primary key,
  file_name    text not null,
  rows         integer not null check (rows >= 0),
  schools      bigint[] not null,
  uploaded_by  bigint references person (id),
  uploaded_at  timestamptz not null default now(),
  -- Set when the uploader withdraws the file: its rows are deleted, this record stays.
  withdrawn_at timestamptz
);

create table pupil_result (
  upload_id     bigint not null references pupil_upload (id),
  school_id     bigint not null references school (id),
  pupil_ref     text not null check (length(pupil_ref) between 1 and 64),
  academic_year text not null check (academic_year ~ '^\d{4}/\d{2}$'),
  subject       text not null check (subject ~ '^[a-z][a-z0-9_]{0,39}$'),
  score         double precision not null,
  sex           text check (sex in ('F', 'M')),
  age_months    integer check (age_months between 24 and 300),
  fsm           boolean,
  sen           boolean,
  primary key (school_id, academic_year, subject, pupil_ref)
);
create index pupil_result_upload_idx on pupil_result (upload_id);
create index pupil_result_year_idx on pupil_result (academic_year, subject);

-- A saved evaluation: what was asked (spec) and what came out (report), so a report can be read,
-- printed and exported again exactly as it was run. `network_id` is the network evaluated, if any;
-- reading a saved report needs the same right as running it.
create table evaluation (
  id          bigserial primary key,
  title       text not null check (length(trim(title)) > 0),
  network_id  bigint references network (id),
  spec        jsonb not null,
  report      jsonb not null,
  run_ms      integer not null,
  created_by  bigint references person (id),
  created_at  timestamptz not null default now()
);
create index evaluation_network_idx on evaluation (network_id, id desc);
create index evaluation_creator_idx on evaluation (created_by, id desc);
