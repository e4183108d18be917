-- Accounts, posts (roles with a scope and dates), sessions, invitations, data-sharing consent
-- and the audit log. Who may do what is decided in one place: server/domains/access/policy.ts.

create table person (
  id            bigserial primary key,
  name          text not null check (length(trim(name)) > 0),
  email         text not null check (email like '%_@_%'),
  password_hash text,                -- Argon2id (PHC string); null until the person sets one
  disabled_at   timestamptz,         -- a disabled account signs in nowhere
  created_at    timestamptz not null default now()
);
create unique index person_email_idx on person (lower(email));

-- A post is what a person holds, where, and when. A post that has ended grants nothing.
create table post (
  id         bigserial primary key,
  person_id  bigint not null references person (id),
  role       text not null check (role in (
               'platform_admin',
               'network_coordinator', 'honest_broker', 'researcher', 'trust_officer',
               'la_officer',
               'head_teacher', 'senior_leader', 'middle_leader', 'teacher', 'support_staff', 'governor')),
  school_id  bigint references school (id),
  network_id bigint references network (id),
  la_name    text,
  from_on    date not null,
  to_on      date,                   -- the first day the post no longer holds
  created_by bigint references person (id),
  created_at timestamptz not null default now(),
  check (to_on is null or to_on > from_on),
  -- Each role is scoped to exactly one kind of thing.
  check (case
    when role = 'platform_admin' then school_id is null and network_id is null and la_name is null
    when role in ('network_coordinator', 'honest_broker', 'researcher', 'trust_officer') then network_id is not null and school_id is null and la_name is null
    when role = 'la_officer' then la_name is not null and school_id is null and network_id is null
    else school_id is not null and network_id is null and la_name is null
  end)
);
create index post_person_idx on post (person_id);
create index post_school_idx on post (school_id) where school_id is not null;
create index post_network_idx on post (network_id) where network_id is not null;

-- Server-side sessions: the cookie carries a random token; the table keeps only its SHA-256,
-- so a copy of the database does not hand out live sessions. Shared by every server process.
create table session (
  id               text primary key,   -- hex SHA-256 of the cookie token
  person_id        bigint not null references person (id),
  csrf_token       text not null,
  created_at       timestamptz not null default now(),
  last_seen_at     timestamptz not null default now(),
  idle_expires_at  timestamptz not null,
  expires_at       timestamptz not null,  -- absolute limit, however active the session
  revoked_at       timestamptz,
  ip               text,
  user_agent       text
);
create index session_person_idx on session (person_id);

-- Invitation and setup links: single use, expiring; only the token's hash is stored.
create table invitation (
  id          bigserial primary key,
  token_hash  text not null unique,
  purpose     text not null check (purpose in ('invite', 'setup', 'reset')),
  email       text not null,
  name        text,
  role        text,
  school_id   bigint references school (id),
  network_id  bigint references network (id),
  la_name     text,
  invited_by  bigint references person (id),
  created_at  timestamptz not null default now(),
  expires_at  timestamptz not null,
  used_at     timestamptz,
  used_by     bigint references person (id),
  revoked_at  timestamptz
);

-- A school's decisions on sharing each class of its data with the partners of one network.
-- Append-only: the latest decision holds; none means not shared.
create table consent_decision (
  id          bigserial primary key,
  school_id   bigint not null references school (id),
  network_id  bigint not null references network (id),
  data_class  text not null check (data_class in ('outcomes', 'survey_results', 'peer_review_reports', 'activity_records')),
  shared      boolean not null,
  decided_by  bigint not null references person (id),
  decided_at  timestamptz not null default now(),
  note        text
);
create index consent_decision_latest_idx on consent_decision (school_id, network_id, data_class, id desc);

create view consent_current as
  select distinct on (school_id, network_id, data_class) id, school_id, network_id, data_class, shared, decided_by, decided_at
  from consent_decision
  order by school_id, network_id, data_class, id desc;

-- Who did what, when. Append-only: a trigger refuses updates and deletes.
create table audit_event (
  id            bigserial primary key,
  at            timestamptz not null default now(),
  person_id     bigint references person (id),
  action        text not null,
  resource_type text,
  resource_id   text,
  school_id     bigint references school (id),
  network_id    bigint references network (id),
  detail        jsonb not null default '{}'::jsonb,
  ip            text
);
create index audit_event_at_idx on audit_event (at desc, id desc);
create index audit_event_school_idx on audit_event (school_id, id desc) where school_id is not null;
create index audit_event_person_idx on audit_event (person_id, action, at desc);

create function audit_event_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'the audit log is append-only';
end
$$;
create trigger audit_event_no_change before update or delete on audit_event
  for each row execute function audit_event_append_only();
