-- Evaluation and challenge, and joint practice development (DOMAIN.md §9; docs/practice.md):
-- peer-review cycles with their team, evidence, findings, judgements, actions and follow-up;
-- joint practice development (JPD) projects with their cycles, coaching notes and evidence of
-- impact; the practice library with each practice's lineage (what it was adapted from, where,
-- how and with what result) and full-text search; communities of practice across schools.
-- Vocabulary columns hold the codes of common/practice.ts. Who may do what: access/policy.ts.

-- ---- Peer review ------------------------------------------------------------------------------

-- One review of a host school by a team from its partner schools in one network.
create table peer_review_cycle (
  id                    bigserial primary key,
  network_id            bigint not null references network (id),
  host_school_id        bigint not null references school (id),
  title                 text not null check (length(trim(title)) between 3 and 200),
  -- What the host asks the team to examine, and why: chosen by the host.
  focus                 text not null check (length(trim(focus)) between 10 and 2000),
  focus_area            text check (focus_area in ('leadership_management', 'teaching_learning_assessment', 'personal_development_behaviour_welfare', 'outcomes')),
  priority              text check (length(priority) <= 1000),      -- the host's own priority (e.g. its development plan) the focus serves
  partnership_goal_id   bigint references partnership_goal (id),     -- or a goal of the network's partnership plan
  claimed_judgement     text check (claimed_judgement in ('inadequate', 'requires_improvement', 'good', 'outstanding')),  -- the host's own judgement of the focus
  stage                 text not null default 'planned'
                        check (stage in ('planned', 'visiting', 'findings', 'actions_agreed', 'follow_up', 'closed', 'cancelled')),
  visit_start_on        date,
  visit_end_on          date,
  follow_up_on          date,
  team_judgement        text check (team_judgement in ('inadequate', 'requires_improvement', 'good', 'outstanding')),
  team_judgement_note   text check (length(team_judgement_note) <= 4000),
  follow_up_summary     text check (length(follow_up_summary) <= 8000),  -- what changed, seen at the follow-up
  cancelled_reason      text,
  closed_on             date,
  -- The activity records (server/domains/activities) the visit and the follow-up visit created.
  visit_activity_id     bigint references activity (id),
  follow_up_activity_id bigint references activity (id),
  created_by            bigint references person (id),
  created_at            timestamptz not null default now(),
  updated_at            timestamptz not null default now(),
  check (visit_end_on is null or visit_start_on is null or visit_end_on >= visit_start_on),
  check (follow_up_on is null or visit_end_on is null or follow_up_on > visit_end_on),
  check ((stage = 'cancelled') = (cancelled_reason is not null)),
  check ((stage = 'closed') = (closed_on is not null))
);
create index peer_review_cycle_network_idx on peer_review_cycle (network_id, id desc);
create index peer_review_cycle_host_idx on peer_review_cycle (host_school_id, id desc);

create table peer_review_stage_change (
  id          bigserial primary key,
  cycle_id    bigint not null references peer_review_cycle (id),
  from_stage  text,
  to_stage    text not null,
  changed_by  bigint references person (id),
  changed_on  date not null,
  changed_at  timestamptz not null default now(),
  note        text
);
create index peer_review_stage_change_idx on peer_review_stage_change (cycle_id, id);

-- The review team: one person from each partner school (the unique index), flagged trained or not.
create table peer_review_reviewer (
  cycle_id   bigint not null references peer_review_cycle (id),
  person_id  bigint not null references person (id),
  school_id  bigint not null references school (id),
  trained    boolean not null default false,
  lead       boolean not null default false,
  added_by   bigint references person (id),
  added_at   timestamptz not null default now(),
  primary key (cycle_id, person_id)
);
create unique index peer_review_reviewer_school_idx on peer_review_reviewer (cycle_id, school_id);
create unique index peer_review_reviewer_lead_idx on peer_review_reviewer (cycle_id) where lead;
create index peer_review_reviewer_person_idx on peer_review_reviewer (person_id);

-- An evidence form. Pupils are described, never named: `pupils` is [{descriptor, chosen}]
-- (common/practice.ts PupilChoice), checked by practice/pupil-privacy.ts before it is stored.
create table peer_review_evidence (
  id           bigserial primary key,
  cycle_id     bigint not null references peer_review_cycle (id),
  kind         text not null check (kind in ('lesson_visit', 'learning_walk', 'pupil_conversation', 'work_scrutiny', 'leader_interview')),
  observed_on  date not null,
  year_group   text check (length(year_group) <= 40),
  subject      text check (length(subject) <= 80),
  context      text check (length(context) <= 500),
  pupils       jsonb not null default '[]'::jsonb,
  notes        text not null check (length(trim(notes)) between 1 and 10000),
  school_id    bigint not null references school (id),  -- the reviewer's school
  recorded_by  bigint not null references person (id),
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  check (kind <> 'pupil_conversation' or jsonb_array_length(pupils) > 0)
);
create index peer_review_evidence_cycle_idx on peer_review_evidence (cycle_id, observed_on, id);

create table peer_review_finding (
  id           bigserial primary key,
  cycle_id     bigint not null references peer_review_cycle (id),
  kind         text not null check (kind in ('strength', 'area_to_develop')),
  area         text not null default 'focus'
               check (area in ('focus', 'leadership_management', 'teaching_learning_assessment', 'personal_development_behaviour_welfare', 'outcomes')),
  statement    text not null check (length(trim(statement)) between 5 and 4000),
  judgement    text check (judgement in ('inadequate', 'requires_improvement', 'good', 'outstanding')),
  evidence_ids bigint[] not null default '{}',   -- evidence of the same cycle it rests on
  recorded_by  bigint not null references person (id),
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now()
);
create index peer_review_finding_cycle_idx on peer_review_finding (cycle_id, kind, id);

create table peer_review_action (
  id              bigserial primary key,
  cycle_id        bigint not null references peer_review_cycle (id),
  finding_id      bigint references peer_review_finding (id) on delete set null,
  description     text not null check (length(trim(description)) between 5 and 2000),
  owner_name      text not null check (length(trim(owner_name)) between 2 and 200),
  owner_person_id bigint references person (id),
  due_on          date not null,
  status          text not null default 'proposed' check (status in ('proposed', 'agreed', 'in_progress', 'done', 'dropped')),
  agreed_on       date,
  what_changed    text check (length(what_changed) <= 4000),  -- at follow-up: what changed (done) or why it was dropped
  closed_on       date,
  closed_by       bigint references person (id),
  created_by      bigint references person (id),
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  check ((status in ('done', 'dropped')) = (closed_on is not null)),
  check (status not in ('done', 'dropped') or what_changed is not null)
);
create index peer_review_action_cycle_idx on peer_review_action (cycle_id, id);

-- ---- Joint practice development -------------------------------------------------------------

create table jpd_project (
  id                 bigserial primary key,
  network_id         bigint references network (id),
  title              text not null check (length(trim(title)) between 3 and 200),
  problem            text not null check (length(trim(problem)) between 10 and 4000),  -- the problem of practice
  status             text not null default 'active' check (status in ('active', 'completed', 'stopped')),
  started_on         date not null,
  ended_on           date,
  developed_practice text check (length(developed_practice) <= 20000),  -- the practice as the partners developed it
  pupil_involvement  text not null default 'none' check (pupil_involvement in ('none', 'consulted', 'co_constructors')),
  pupil_involvement_note text check (length(pupil_involvement_note) <= 4000),
  practice_id        bigint,   -- the library record it was published as (foreign key below)
  created_by         bigint references person (id),
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  check ((status = 'active') = (ended_on is null))
);
create index jpd_project_network_idx on jpd_project (network_id, id desc);

-- The pair or triad of schools (two or three: checked by the service, which names the field).
create table jpd_project_school (
  project_id bigint not null references jpd_project (id),
  school_id  bigint not null references school (id),
  primary key (project_id, school_id)
);
create index jpd_project_school_school_idx on jpd_project_school (school_id);

create table jpd_participant (
  project_id bigint not null references jpd_project (id),
  person_id  bigint not null references person (id),
  school_id  bigint not null,
  role       text not null check (role in ('coach', 'practitioner', 'facilitator')),
  primary key (project_id, person_id),
  foreign key (project_id, school_id) references jpd_project_school (project_id, school_id)
);

-- A cycle of plan → teach and observe → reflect → refine; complete once refined.
create table jpd_cycle (
  id            bigserial primary key,
  project_id    bigint not null references jpd_project (id),
  number        integer not null check (number > 0),
  focus         text not null check (length(trim(focus)) between 3 and 1000),
  stage         text not null default 'plan' check (stage in ('plan', 'teach_observe', 'reflect', 'refine')),
  started_on    date not null,
  completed_on  date,
  plan_notes    text check (length(plan_notes) <= 8000),
  teach_notes   text check (length(teach_notes) <= 8000),
  reflect_notes text check (length(reflect_notes) <= 8000),
  refine_notes  text check (length(refine_notes) <= 8000),
  activity_id   bigint references activity (id),   -- the activity record the completed cycle created
  created_by    bigint references person (id),
  created_at    timestamptz not null default now(),
  unique (project_id, number),
  check (completed_on is null or completed_on >= started_on)
);

create table jpd_coaching_note (
  id          bigserial primary key,
  cycle_id    bigint not null references jpd_cycle (id),
  stage       text not null check (stage in ('plan', 'teach_observe', 'reflect', 'refine')),
  note        text not null check (length(trim(note)) between 1 and 8000),
  coach_id    bigint references person (id),
  written_by  bigint not null references person (id),
  written_on  date not null,
  created_at  timestamptz not null default now()
);
create index jpd_coaching_note_cycle_idx on jpd_coaching_note (cycle_id, id);

-- Evidence of impact on pupils, with its strength on the ladder of common/practice.ts
-- (1 described … 5 ready to spread) and, where possible, a link to a published measure
-- ({schoolId, measure, fromYear, toYear}).
create table jpd_impact (
  id           bigserial primary key,
  project_id   bigint not null references jpd_project (id),
  description  text not null check (length(trim(description)) between 5 and 4000),
  measure      text check (length(measure) <= 300),
  before_value text check (length(before_value) <= 100),
  after_value  text check (length(after_value) <= 100),
  pupils       integer check (pupils between 1 and 100000),
  strength     smallint not null check (strength between 1 and 5),
  outcome_link jsonb,
  recorded_by  bigint references person (id),
  recorded_on  date not null,
  created_at   timestamptz not null default now()
);
create index jpd_impact_project_idx on jpd_impact (project_id, id);

-- ---- The practice library -------------------------------------------------------------------

create table practice (
  id                bigserial primary key,
  school_id         bigint not null references school (id),
  title             text not null check (length(trim(title)) between 3 and 200),
  summary           text not null check (length(trim(summary)) between 10 and 2000),
  body              text not null default '' check (length(body) <= 40000),
  phase             text check (phase in ('early_years', 'primary', 'secondary', 'post_16', 'special', 'all_through')),
  subject           text check (subject in ('whole_school', 'early_years', 'phonics_reading', 'english', 'maths', 'science', 'humanities', 'arts', 'pe',
                                            'languages', 'computing', 'pshe', 'send', 'behaviour_attendance', 'assessment', 'transition', 'other')),
  intake            text[] not null default '{}',     -- IntakeContext codes
  intake_note       text check (length(intake_note) <= 1000),
  evidence          text check (length(evidence) <= 8000),
  evidence_strength smallint check (evidence_strength between 1 and 5),
  status            text not null default 'draft' check (status in ('draft', 'published', 'withdrawn')),
  published_on      date,
  withdrawn_on      date,
  withdrawn_reason  text,
  jpd_project_id    bigint references jpd_project (id),
  created_by        bigint references person (id),
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  -- Full-text search: title weighs most (A), then the summary (B), then the body (C); ranked by ts_rank_cd.
  search            tsvector generated always as (
                      setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') ||
                      setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B') ||
                      setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')
                    ) stored,
  check ((status = 'draft') = (published_on is null) or status = 'withdrawn'),
  check ((status = 'withdrawn') = (withdrawn_on is not null))
);
create index practice_search_idx on practice using gin (search);
create index practice_school_idx on practice (school_id, id desc);
create index practice_status_idx on practice (status, published_on desc);
alter table jpd_project add foreign key (practice_id) references practice (id);

-- People who can help with a practice: a colleague to ask.
create table practice_contact (
  practice_id bigint not null references practice (id),
  person_id   bigint not null references person (id),
  helps_with  text check (length(helps_with) <= 300),
  primary key (practice_id, person_id)
);

-- Lineage: `practice_id` was adapted from `adapted_from` (at the parent's school), changed how,
-- with what result. A practice may draw on several; the graph has no cycles (the service checks
-- with a recursive query before adding an edge).
create table practice_lineage (
  practice_id  bigint not null references practice (id),
  adapted_from bigint not null references practice (id),
  what_changed text not null check (length(trim(what_changed)) between 5 and 4000),
  result       text check (length(result) <= 4000),
  recorded_by  bigint references person (id),
  created_at   timestamptz not null default now(),
  primary key (practice_id, adapted_from),
  check (practice_id <> adapted_from)
);
create index practice_lineage_parent_idx on practice_lineage (adapted_from, practice_id);

-- ---- Communities of practice ----------------------------------------------------------------

create table community (
  id          bigserial primary key,
  network_id  bigint not null references network (id),
  name        text not null check (length(trim(name)) between 3 and 200),
  kind        text not null check (kind in ('year_group', 'subject_leads', 'early_career', 'transition', 'other')),
  domain      text not null check (length(trim(domain)) between 5 and 2000),   -- the shared concern (Wenger's domain)
  rhythm      text not null check (rhythm in ('weekly', 'fortnightly', 'monthly', 'half_termly', 'termly', 'yearly')),
  status      text not null default 'active' check (status in ('active', 'closed')),
  started_on  date not null,
  closed_on   date,
  created_by  bigint references person (id),
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  check ((status = 'closed') = (closed_on is not null))
);
create index community_network_idx on community (network_id, id);

create table community_member (
  community_id  bigint not null references community (id),
  person_id     bigint not null references person (id),
  school_id     bigint not null references school (id),
  participation text not null check (participation in ('core', 'active', 'peripheral')),
  facilitator   boolean not null default false,
  joined_on     date not null,
  left_on       date,
  primary key (community_id, person_id),
  check (left_on is null or left_on >= joined_on)
);

create table community_meeting (
  id           bigserial primary key,
  community_id bigint not null references community (id),
  held_on      date not null,
  title        text not null check (length(trim(title)) between 3 and 200),
  notes        text check (length(notes) <= 8000),
  activity_id  bigint references activity (id),
  recorded_by  bigint references person (id),
  created_at   timestamptz not null default now()
);
create index community_meeting_idx on community_meeting (community_id, held_on desc);

create table community_attendance (
  meeting_id bigint not null references community_meeting (id),
  person_id  bigint not null references person (id),
  school_id  bigint not null references school (id),
  primary key (meeting_id, person_id)
);

-- What the community made: a resource, guidance, or a practice in the library.
create table community_output (
  id           bigserial primary key,
  community_id bigint not null references community (id),
  title        text not null check (length(trim(title)) between 3 and 200),
  description  text check (length(description) <= 4000),
  practice_id  bigint references practice (id),
  produced_on  date not null,
  recorded_by  bigint references person (id),
  created_at   timestamptz not null default now()
);
create index community_output_idx on community_output (community_id, produced_on desc);
