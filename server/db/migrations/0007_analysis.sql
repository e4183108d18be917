-- Network analysis caches its snapshots in memory, keyed by this generation: every statement
-- that changes what a snapshot is built from (activities and their schools, memberships,
-- schools, networks) takes the next value, so a cached snapshot is never served after its ties
-- change. A sequence, not a row: taking a value never waits for another transaction, and a
-- rolled-back write only costs one needless recomputation.
create sequence analysis_generation;

create function bump_analysis_generation() returns trigger language plpgsql as $$
begin
  perform nextval('analysis_generation');
  return null;
end $$;

create trigger activity_analysis_generation after insert or update or delete on activity
  for each statement execute function bump_analysis_generation();
create trigger activity_school_analysis_generation after insert or update or delete on activity_school
  for each statement execute function bump_analysis_generation();
create trigger activity_type_analysis_generation after insert or update or delete on activity_type
  for each statement execute function bump_analysis_generation();
create trigger membership_analysis_generation after insert or update or delete on membership
  for each statement execute function bump_analysis_generation();
create trigger school_analysis_generation after insert or update or delete on school
  for each statement execute function bump_analysis_generation();
create trigger network_analysis_generation after insert or update or delete on network
  for each statement execute function bump_analysis_generation();
