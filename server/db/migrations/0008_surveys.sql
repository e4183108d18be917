-- Staff surveys (DOMAIN.md §6; docs/surveys.md): survey rounds ("waves") of a network, each with
-- a copy of its instrument, the member schools taking part, invitations (personal links, shared
-- codes and batches of paper forms), reminders, the anonymous responses, and interview notes
-- coded to strands.
--
-- Anonymity is a property of this schema, and a test reads it (surveys/anonymity.test.ts):
-- survey_response and survey_submission reference no invitation, token or person, carry no date
-- or time at all, and are keyed by random UUIDs, so their ids and order say nothing about who
-- answered or when. Only the invitation knows it was returned, and on which day.

create table survey_wave (
  id                 bigserial primary key,
  network_id         bigint not null references network (id),
  title              text not null check (length(trim(title)) > 0),
  instrument_id      text not null,
  instrument_version integer not null check (instrument_version > 0),
  -- The instrument as it was when the wave was set up: a later version changes no wave's form or results.
  instrument         jsonb not null,
  status             text not null default 'draft' check (status in ('draft', 'open', 'closed')),
  closes_on          date not null,          -- the deadline respondents are given
  hide_stage_labels  boolean not null default true,
  -- Breakdown cells with fewer respondents than this are suppressed; never below 3.
  min_cell           integer not null default 5 check (min_cell >= 3),
  opened_on          date,
  closed_on          date,
  created_by         bigint references person (id),
  created_at         timestamptz not null default now(),
  check ((status = 'draft') = (opened_on is null)),
  check ((status = 'closed') = (closed_on is not null))
);
create index survey_wave_network_idx on survey_wave (network_id, id desc);

-- The member schools taking part in a wave.
create table survey_wave_school (
  wave_id   bigint not null references survey_wave (id),
  school_id bigint not null references school (id),
  primary key (wave_id, school_id)
);

-- Who was asked: a personal link (one person, one return), a shared code (up to `capacity`
-- returns; the school and role may be left to the respondent) or a batch of paper forms handed
-- out (returns keyed in by the wave's managers). `label` says who a link is for, for reminders.
create table survey_invitation (
  id               bigserial primary key,
  wave_id          bigint not null references survey_wave (id),
  kind             text not null check (kind in ('link', 'code', 'paper')),
  school_id        bigint references school (id),
  role             text check (role in ('governor', 'head_or_deputy', 'senior_leader', 'middle_leader', 'teacher', 'support_staff')),
  label            text,
  capacity         integer not null check (capacity > 0),
  returned         integer not null default 0,
  last_returned_on date,
  reminders        integer not null default 0,
  last_reminded_on date,
  revoked_on       date,
  created_by       bigint references person (id),
  created_on       date not null,
  check (returned between 0 and capacity),
  check (kind <> 'link' or (capacity = 1 and school_id is not null and role is not null)),
  check (kind <> 'paper' or school_id is not null)
);
create index survey_invitation_wave_idx on survey_invitation (wave_id, id);

-- The live tokens of an invitation: only SHA-256 hashes. A reminder issues a new link (or code)
-- for an invitation without retiring the earlier one, since a stored hash cannot be shown again.
create table survey_token (
  token_hash    text primary key,
  invitation_id bigint not null references survey_invitation (id),
  issued_on     date not null
);
create index survey_token_invitation_idx on survey_token (invitation_id);

-- A reminder round: the day, and how many invitations were still outstanding.
create table survey_reminder (
  id          bigserial primary key,
  wave_id     bigint not null references survey_wave (id),
  reminded_on date not null,
  invitations integer not null,
  note        text,
  recorded_by bigint references person (id)
);
create index survey_reminder_wave_idx on survey_reminder (wave_id, id);

-- One returned form. School and role are as declared (or fixed by the invitation); answers are
-- {itemCode: true | scale value | text}, endorsed or answered items only (blank = untrue or
-- unclear). No invitation, token, person, date or sequence: see the note at the top.
create table survey_response (
  id        uuid primary key default gen_random_uuid(),
  wave_id   bigint not null references survey_wave (id),
  school_id bigint not null references school (id),
  role      text not null check (role in ('governor', 'head_or_deputy', 'senior_leader', 'middle_leader', 'teacher', 'support_staff')),
  channel   text not null check (channel in ('online', 'paper')),
  answers   jsonb not null
);
create index survey_response_wave_idx on survey_response (wave_id, school_id);

-- Idempotency of submission: the hash of the one-time key the form carried. A second POST with
-- the same key is answered "received" and stores nothing.
create table survey_submission (
  wave_id  bigint not null references survey_wave (id),
  key_hash text not null,
  primary key (wave_id, key_hash)
);

-- Interview notes (the case study's second lens): sensitive, read by the wave's managers only.
create table survey_interview (
  id          bigserial primary key,
  wave_id     bigint not null references survey_wave (id),
  school_id   bigint references school (id),
  title       text not null check (length(trim(title)) > 0),
  body        text not null check (length(body) > 0),
  held_on     date,
  recorded_by bigint references person (id),
  created_at  timestamptz not null default now()
);
create index survey_interview_wave_idx on survey_interview (wave_id, id);

-- A passage of a note (characters [start_at, end_at) of its body) coded to one strand of the
-- wave's instrument. A passage may carry several codes, each counted (double counting, as in
-- the case study). A removed coding is kept, marked, so that the coding can be retraced.
create table survey_coding (
  id           bigserial primary key,
  interview_id bigint not null references survey_interview (id),
  strand_code  text not null,
  start_at     integer not null check (start_at >= 0),
  end_at       integer not null,
  comment      text,
  coded_by     bigint references person (id),
  created_at   timestamptz not null default now(),
  removed_by   bigint references person (id),
  removed_at   timestamptz,
  check (end_at > start_at)
);
create index survey_coding_interview_idx on survey_coding (interview_id, start_at);
