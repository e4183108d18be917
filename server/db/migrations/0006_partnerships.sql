-- A network's partnership plan (DOMAIN.md §4; docs/partnerships.md): formation, a few measurable
-- goals with each member school's contribution, a versioned written agreement that member
-- schools sign, meetings with attendance, reviews, an agreed ending, and the history of its
-- stages. A network may have successive partnerships, at most one of them not ended.

create table partnership (
  id               bigserial primary key,
  network_id       bigint not null references network (id),
  stage            text not null default 'forming'
                   check (stage in ('forming', 'active', 'under_review', 'renewed', 'ending', 'ended')),
  purpose          text not null check (length(trim(purpose)) > 0),
  shared_vision    text,
  theory_of_action text,               -- how knowledge is meant to move between the schools
  formed_on        date not null,
  formation        text check (formation in ('voluntary', 'incentivised', 'mandated')),
  ended_on         date,
  created_by       bigint references person (id),
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  check ((stage = 'ended') = (ended_on is not null))
);
-- At most one partnership of a network is not ended.
create unique index partnership_current_idx on partnership (network_id) where stage <> 'ended';
create index partnership_network_idx on partnership (network_id, formed_on desc);

-- Every change of stage, including the first (from_stage null): who, when, from → to, why.
create table partnership_stage_change (
  id             bigserial primary key,
  partnership_id bigint not null references partnership (id),
  from_stage     text,
  to_stage       text not null,
  changed_by     bigint references person (id),
  changed_on     date not null,
  changed_at     timestamptz not null default now(),
  note           text
);
create index partnership_stage_change_idx on partnership_stage_change (partnership_id, changed_at, id);

-- Goals are retired, never deleted; retired goals do not count towards the five.
create table partnership_goal (
  id             bigserial primary key,
  partnership_id bigint not null references partnership (id),
  statement      text not null check (length(trim(statement)) > 0),
  measure        text not null check (length(trim(measure)) > 0),
  unit           text,
  baseline_value numeric not null,
  baseline_on    date not null,
  baseline_source text,
  target_value   numeric not null,
  target_on      date not null,
  status         text not null default 'not_started'
                 check (status in ('not_started', 'on_track', 'at_risk', 'achieved', 'not_achieved')),
  created_by     bigint references person (id),
  created_at     timestamptz not null default now(),
  revised_at     timestamptz,          -- last change to what the goal asks (statement, measure, baseline, target)
  retired_on     date,
  retired_reason text,
  retired_by     bigint references person (id),
  retired_at     timestamptz,
  merged_into    bigint references partnership_goal (id),
  check (target_on > baseline_on),
  check ((retired_on is null) = (retired_reason is null))
);
create index partnership_goal_idx on partnership_goal (partnership_id, id);

create table partnership_goal_contribution (
  goal_id      bigint not null references partnership_goal (id),
  school_id    bigint not null references school (id),
  contribution text not null check (length(trim(contribution)) > 0),
  primary key (goal_id, school_id)
);

-- The written agreement, versioned: a new version supersedes the last; all are kept.
create table partnership_agreement (
  id                     bigserial primary key,
  partnership_id         bigint not null references partnership (id),
  version                integer not null check (version > 0),
  effective_from         date not null,
  principles             jsonb not null,        -- ["…", …]
  roles                  jsonb not null,        -- [{who, schoolId, responsibility}]
  meeting_frequency      text not null check (meeting_frequency in ('weekly', 'fortnightly', 'monthly', 'half_termly', 'termly', 'yearly')),
  min_attendance_pct     integer check (min_attendance_pct between 0 and 100),
  attendance_consequence text,
  data_sharing           jsonb not null,        -- [{dataClass, intended, purpose}]
  conflict_resolution    text not null,
  funding                jsonb not null,        -- see funding.ts
  change_note            text,
  created_by             bigint references person (id),
  created_at             timestamptz not null default now(),
  unique (partnership_id, version)
);

-- A member school's agreement to one version, given by one of its leaders.
create table partnership_signature (
  agreement_id bigint not null references partnership_agreement (id),
  school_id    bigint not null references school (id),
  signed_by    bigint not null references person (id),
  signed_role  text not null,
  signed_on    date not null,
  signed_at    timestamptz not null default now(),
  note         text,
  primary key (agreement_id, school_id)
);

create table partnership_meeting (
  id              bigserial primary key,
  partnership_id  bigint not null references partnership (id),
  held_on         date not null,
  title           text not null,
  notes           text,
  other_attendees jsonb not null default '[]'::jsonb,  -- [{name, role}] not from a member school
  recorded_by     bigint references person (id),
  created_at      timestamptz not null default now()
);
create index partnership_meeting_idx on partnership_meeting (partnership_id, held_on);

-- A school attended a meeting when it has a row here; attendees name who came for it.
create table partnership_attendance (
  meeting_id bigint not null references partnership_meeting (id),
  school_id  bigint not null references school (id),
  attendees  jsonb not null default '[]'::jsonb,       -- [{name, role}]
  primary key (meeting_id, school_id)
);

create table partnership_review (
  id             bigserial primary key,
  partnership_id bigint not null references partnership (id),
  held_on        date not null,
  summary        text,
  decision       text check (decision in ('renew', 'renegotiate', 'end')),
  decision_note  text,
  recorded_by    bigint references person (id),
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now()
);
create index partnership_review_idx on partnership_review (partnership_id, created_at);

create table partnership_review_progress (
  review_id  bigint not null references partnership_review (id),
  goal_id    bigint not null references partnership_goal (id),
  value_now  numeric,
  status     text not null check (status in ('on_track', 'at_risk', 'achieved', 'not_achieved')),
  commentary text,
  primary key (review_id, goal_id)
);

-- The agreed ending: when, why, who agreed, and what the partners keep.
create table partnership_ending (
  partnership_id bigint primary key references partnership (id),
  agreed_on      date not null,
  ends_on        date not null,
  reason         text not null,
  agreed_by      text not null,
  kept           jsonb not null default '[]'::jsonb,    -- [{kind, what, keptBy}]
  recorded_by    bigint references person (id),
  recorded_at    timestamptz not null default now(),
  check (ends_on >= agreed_on)
);
