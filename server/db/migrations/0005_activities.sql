-- The collaboration record: a catalogue of activity types (data: administrators add types), the
-- activities schools do together (who gave, who received, who took part, when and how often),
-- and the ties between schools derived from them. Rules and formulas: docs/activities.md.

create table activity_type (
  code        text primary key check (code ~ '^[a-z][a-z0-9_]{1,47}$'),
  category    text not null check (category in ('practice', 'leadership', 'curriculum', 'resources', 'community')),
  label       text not null check (length(trim(label)) between 1 and 120),
  description text,
  position    integer not null default 1000,   -- order within the catalogue
  built_in    boolean not null default false,  -- seeded here (common/activities.ts), not added by an administrator
  retired_on  date,                            -- no longer offered for new records; old records keep their type
  created_by  bigint references person (id),
  created_at  timestamptz not null default now()
);
create unique index activity_type_label_idx on activity_type (lower(label));

-- One row per built-in type; the same list as common/activities.ts (a test keeps them equal).
insert into activity_type (code, category, label, description, position) values
  ('joint_practice_development', 'practice', 'Joint practice development', 'Pairs or trios of teachers from different schools improve a practice together and try it in their classrooms.', 10),
  ('peer_observation', 'practice', 'Peer observation', 'Staff watch lessons in a partner school and discuss what they saw.', 20),
  ('coaching_mentoring', 'practice', 'Coaching and mentoring', 'A member of staff coaches or mentors a colleague in another school.', 30),
  ('lesson_study', 'practice', 'Lesson study', 'A cross-school group plans, teaches, observes and refines a research lesson.', 40),
  ('subject_phase_network', 'practice', 'Subject, phase or aspect network', 'Regular meetings of staff who share a subject, phase or aspect (such as SEND or early years).', 50),
  ('joint_cpd', 'practice', 'Joint CPD day', 'Training or a conference run for the staff of several schools at once.', 60),
  ('moderation', 'practice', 'Moderation of assessment', 'Teachers check each other''s judgements of pupils'' work against the same standard.', 70),
  ('action_research', 'practice', 'Action research', 'An enquiry into a shared question, carried out across schools and reported back.', 80),
  ('lead_practitioner', 'practice', 'Lead practitioner support', 'A specialist or lead practitioner works with staff in partner schools.', 90),
  ('heads_group', 'leadership', 'Heads'' group meeting', 'Head teachers of the partner schools meet to plan, solve problems and support each other.', 100),
  ('executive_headship', 'leadership', 'Executive headship', 'One head leads two or more schools.', 110),
  ('secondment', 'leadership', 'Secondment', 'A member of staff works in a partner school for a period.', 120),
  ('leadership_development', 'leadership', 'Leadership development', 'A programme growing current or future leaders across the schools.', 130),
  ('peer_review', 'leadership', 'Peer review', 'Leaders from partner schools review a host school''s chosen focus and feed back.', 140),
  ('shared_data_group', 'leadership', 'Shared data group', 'Leaders compare and discuss their schools’ data together.', 150),
  ('joint_provision', 'curriculum', 'Joint course provision', 'Pupils take a course or option offered at a partner school (for example 14–19 courses).', 160),
  ('shared_extracurricular', 'curriculum', 'Shared extra-curricular activity', 'Clubs, sport, arts, trips or events run for the pupils of several schools.', 170),
  ('saturday_school', 'curriculum', 'Saturday or holiday school', 'Extra sessions out of school hours open to pupils of the partner schools.', 180),
  ('managed_move', 'curriculum', 'Managed move or fresh start', 'A pupil at risk of exclusion moves to a partner school under an agreed plan.', 190),
  ('transition', 'curriculum', 'Transition work', 'Joint work that prepares pupils to move between phases or schools.', 200),
  ('pupil_voice', 'curriculum', 'Pupil voice', 'Pupils from several schools meet to give their views or lead a project.', 210),
  ('staff_loan', 'resources', 'Loan of staff', 'A school lends a teacher or other member of staff to a partner school.', 220),
  ('shared_specialist', 'resources', 'Shared specialist', 'A specialist (such as an advanced skills teacher, SENCo or technician) works across the schools.', 230),
  ('shared_facilities', 'resources', 'Shared facilities', 'Pupils or staff use another school''s rooms, grounds or equipment.', 240),
  ('joint_appointment', 'resources', 'Joint appointment', 'The schools appoint and share a post between them.', 250),
  ('joint_procurement', 'resources', 'Joint procurement', 'The schools buy goods or services together.', 260),
  ('joint_bid', 'resources', 'Joint funding bid', 'The schools apply together for funding.', 270),
  ('pooled_budget', 'resources', 'Pooled budget', 'Each school pays into a common fund for joint work (for example a share of its budget).', 280),
  ('extended_services', 'community', 'Extended services', 'Services for families and the community offered jointly (childcare, adult learning, family support).', 290),
  ('co_located_agencies', 'community', 'Co-located agencies', 'Health, social care or other agencies work from a school for the pupils of several schools.', 300);
update activity_type set built_in = true;

-- An activity record. A series is `occurrences` dates from start_on, a fixed step apart
-- (common/activities.ts recurrenceStep); end_on is the last day of the last occurrence (for a
-- one-off activity over several days, its last day). Hours are per occurrence.
create table activity (
  id            bigserial primary key,
  type_code     text not null references activity_type (code),
  title         text not null check (length(trim(title)) between 1 and 200),
  network_id    bigint references network (id),   -- done in this network's name (optional)
  start_on      date not null,
  end_on        date not null,
  recurrence    text not null default 'once' check (recurrence in ('once', 'weekly', 'fortnightly', 'monthly', 'half_termly', 'termly', 'yearly')),
  occurrences   integer not null default 1 check (occurrences between 1 and 500),
  hours_each    numeric(7,2) check (hours_each > 0 and hours_each <= 2000),
  focus         text check (length(focus) <= 200),
  outcome_notes text check (length(outcome_notes) <= 5000),
  evidence      text[] not null default '{}',
  source        text not null default 'api' check (source in ('api', 'csv', 'demo')),
  recorded_by   bigint references person (id),
  recorded_at   timestamptz not null default now(),
  updated_by    bigint references person (id),
  updated_at    timestamptz,
  -- Withdrawn, not deleted: the record stays for the audit trail and leaves every view and tie.
  withdrawn_at  timestamptz,
  withdrawn_by  bigint references person (id),
  check (end_on >= start_on),
  check (recurrence <> 'once' or occurrences = 1)
);
create index activity_start_idx on activity (start_on desc, id desc) where withdrawn_at is null;
create index activity_network_idx on activity (network_id, start_on desc) where network_id is not null and withdrawn_at is null;
create index activity_type_idx on activity (type_code) where withdrawn_at is null;

-- The schools an activity involves, each giving, receiving or both (mutual). `levels` is the
-- bitmask of the levels in activity_staff for this school (written with those rows), so the tie
-- kernel reads one table instead of grouping another.
create table activity_school (
  activity_id bigint not null references activity (id) on delete cascade,
  school_id   bigint not null references school (id),
  direction   text not null check (direction in ('giving', 'receiving', 'mutual')),
  levels      integer not null default 0,
  primary key (activity_id, school_id)
);
create index activity_school_school_idx on activity_school (school_id, activity_id);

-- How many people of each level took part, per school.
create table activity_staff (
  activity_id bigint not null,
  school_id   bigint not null,
  level       text not null check (level in ('governors', 'heads', 'senior_leaders', 'middle_leaders', 'teachers', 'support_staff', 'pupils', 'parents')),
  people      integer not null check (people between 1 and 100000),
  primary key (activity_id, school_id, level),
  foreign key (activity_id, school_id) references activity_school (activity_id, school_id) on delete cascade
);

-- Ties between two schools (school_a < school_b) as derived on computed_on by analytics/ties
-- from the activities not withdrawn. Derived data: rebuilt from activity_school by
-- `trellis ties recompute`, its pairs recomputed whenever an activity touching them is written,
-- so it carries no foreign keys. "recent_" columns count the 365 days up to computed_on; levels
-- are bitmasks in the order of common/activities.ts staffLevels. Past dates are computed from
-- the activities themselves (the tie as of any date).
create table tie (
  school_a         bigint not null,
  school_b         bigint not null,
  computed_on      date not null,
  first_contact    date not null,
  last_contact     date not null,
  contacts         integer not null,
  activities       integer not null,
  hours            double precision not null,
  types            integer not null,
  levels           integer not null,
  a_to_b           integer not null,
  b_to_a           integer not null,
  recent_contacts  integer not null,
  recent_hours     double precision not null,
  recent_types     integer not null,
  recent_levels    integer not null,
  recent_a_to_b    integer not null,
  recent_b_to_a    integer not null,
  strength         double precision not null,
  class            text not null check (class in ('strong', 'weak', 'dormant')),
  long_standing    boolean not null,
  primary key (school_a, school_b),
  check (school_a < school_b)
);
create index tie_school_b_idx on tie (school_b);
