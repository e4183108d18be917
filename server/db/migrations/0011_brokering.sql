-- Brokered school-to-school support (issue 8; DOMAIN.md §8; docs/brokering.md): what schools
-- declare they need (priorities) and offer (expertise of named staff or the school, with
-- capacity in days per term), the affiliations brokers declare, support requests and their
-- casework (shortlist → introduction, accepted by both sides → a support partnership → review →
-- close with an outcome). Codes are those of common/brokering.ts; who may do what: access/policy.ts.

-- The focus areas, as data so every table can refer to them; the same codes as
-- common/brokering.ts FocusArea (a test keeps the two equal).
create table focus_area (
  code text primary key check (code ~ '^[a-z][a-z0-9_]{1,39}$')
);
insert into focus_area (code) values
  ('english'), ('reading'), ('writing'), ('maths'), ('science'), ('computing'), ('languages'), ('humanities'), ('arts'), ('physical_education'),
  ('early_years'), ('primary'), ('secondary'), ('post_16'),
  ('behaviour'), ('send'), ('attendance'), ('disadvantaged'), ('leadership'), ('governance'), ('curriculum'), ('assessment'), ('teaching'),
  ('early_career_teachers'), ('transition'), ('safeguarding');

-- A school's declared improvement priority: a need in one focus area, for a period.
create table school_priority (
  id          bigserial primary key,
  school_id   bigint not null references school (id),
  focus_area  text not null references focus_area (code),
  note        text check (length(note) <= 2000),
  from_on     date not null,
  until_on    date,
  declared_by bigint references person (id),
  declared_at timestamptz not null default now(),
  check (until_on is null or until_on > from_on)
);
create index school_priority_school_idx on school_priority (school_id, focus_area);

-- Expertise a school offers, through a named member of staff (person_id) or as a school
-- (person_id null), in one focus area, with the days per term it can give. Days committed are
-- derived from live introductions and matched requests (never stored, so never stale).
create table expertise_offer (
  id            bigserial primary key,
  school_id     bigint not null references school (id),
  person_id     bigint references person (id),
  focus_area    text not null references focus_area (code),
  kinds         text[] not null check (cardinality(kinds) between 1 and 6
                  and kinds <@ array['mentoring_coaching', 'peer_review', 'joint_practice_development', 'secondment', 'leadership_support', 'training']),
  capacity_days numeric not null check (capacity_days > 0 and capacity_days <= 60),
  note          text check (length(note) <= 2000),
  status        text not null default 'proposed' check (status in ('proposed', 'active', 'withdrawn')),
  approved_by   bigint references person (id),
  approved_on   date,
  created_by    bigint references person (id),
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  check ((status = 'proposed') = (approved_on is null) or status = 'withdrawn')
);
create index expertise_offer_focus_idx on expertise_offer (focus_area) where status = 'active';
create index expertise_offer_school_idx on expertise_offer (school_id);

-- When a broker last reviewed their list of affiliations (an empty list then means "none").
create table broker_declaration (
  person_id   bigint primary key references person (id),
  declared_on date not null,
  declared_at timestamptz not null default now()
);

-- A broker's tie to one school or one network.
create table broker_affiliation (
  id          bigserial primary key,
  person_id   bigint not null references person (id),
  school_id   bigint references school (id),
  network_id  bigint references network (id),
  kind        text not null check (kind in ('employed', 'governor', 'former', 'family', 'other')),
  note        text check (length(note) <= 500),
  declared_on date not null,
  ended_on    date,
  check ((school_id is null) <> (network_id is null))
);
create index broker_affiliation_person_idx on broker_affiliation (person_id) where ended_on is null;

-- A school's request for support in one focus area, and its casework.
create table support_request (
  id                  bigserial primary key,
  school_id           bigint not null references school (id),
  focus_area          text not null references focus_area (code),
  kind                text not null check (kind in ('mentoring_coaching', 'peer_review', 'joint_practice_development', 'secondment', 'leadership_support', 'training')),
  days_needed         numeric not null check (days_needed > 0 and days_needed <= 60),  -- per term
  terms               integer not null default 3 check (terms between 1 and 9),
  description         text not null check (length(trim(description)) between 10 and 4000),
  goals               jsonb not null default '[]'::jsonb,     -- [{statement, measure, unit, baseline:{value,on,source}, target:{value,on}}]
  conflicts           jsonb not null default '[]'::jsonb,     -- [{schoolId, reason}] schools the requester will not be supported by
  status              text not null default 'open'
                      check (status in ('open', 'shortlisted', 'introduced', 'matched', 'in_support', 'reviewed', 'closed', 'withdrawn')),
  broker_id           bigint references person (id),
  broker_since        date,
  supporter_school_id bigint references school (id),
  offer_id            bigint references expertise_offer (id),
  support_network_id  bigint references network (id),
  partnership_id      bigint references partnership (id),
  activity_id         bigint references activity (id),
  started_on          date,
  review_note         text,
  reviewed_on         date,
  reviewed_by         bigint references person (id),
  outcome             text check (outcome in ('achieved', 'partly_achieved', 'not_achieved', 'ended_early')),
  outcome_note        text,
  closed_on           date,
  withdrawn_reason    text,
  created_by          bigint references person (id),
  created_on          date not null,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  check ((status = 'closed') = (outcome is not null and closed_on is not null)),
  check ((status = 'withdrawn') = (withdrawn_reason is not null))
);
create index support_request_school_idx on support_request (school_id, status);
create index support_request_status_idx on support_request (status);
-- One live request per school and focus area: a second one would compete with the first for the same supporters.
create unique index support_request_live_idx on support_request (school_id, focus_area)
  where status in ('open', 'shortlisted', 'introduced', 'matched', 'in_support', 'reviewed');

-- A broker's shortlist for a request: candidates with the score and every factor's
-- contribution as they stood when shortlisted (a snapshot: later data do not rewrite it).
create table shortlist_entry (
  id           bigserial primary key,
  request_id   bigint not null references support_request (id),
  rank         integer not null check (rank > 0),
  school_id    bigint not null references school (id),
  offer_id     bigint references expertise_offer (id),
  score        double precision not null,
  distance_km  double precision,
  factors      jsonb not null,     -- [{factor, label, raw, normalised, weight, contribution}]
  source       text not null default 'ranking' check (source in ('ranking', 'allocation')),
  created_by   bigint references person (id),
  created_at   timestamptz not null default now(),
  removed_at   timestamptz          -- replaced by a later shortlist
);
create index shortlist_entry_request_idx on shortlist_entry (request_id) where removed_at is null;

-- The broker introduces the requester to one shortlisted candidate; each side answers.
create table introduction (
  id                 bigserial primary key,
  request_id         bigint not null references support_request (id),
  shortlist_entry_id bigint not null references shortlist_entry (id),
  school_id          bigint not null references school (id),     -- the supporting school
  offer_id           bigint references expertise_offer (id),
  status             text not null default 'pending' check (status in ('pending', 'accepted', 'declined', 'withdrawn')),
  requester_answer   text not null default 'pending' check (requester_answer in ('pending', 'accepted', 'declined')),
  requester_by       bigint references person (id),
  requester_on       date,
  requester_note     text,
  supporter_answer   text not null default 'pending' check (supporter_answer in ('pending', 'accepted', 'declined')),
  supporter_by       bigint references person (id),
  supporter_on       date,
  supporter_note     text,
  note               text,
  created_by         bigint references person (id),
  created_on         date not null,
  created_at         timestamptz not null default now(),
  closed_on          date
);
create index introduction_request_idx on introduction (request_id);
create index introduction_school_idx on introduction (school_id) where status = 'pending';
-- At most one introduction of a request waits for answers at a time.
create unique index introduction_pending_idx on introduction (request_id) where status = 'pending';
