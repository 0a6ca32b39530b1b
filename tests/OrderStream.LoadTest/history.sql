-- Gives the 20,000-user "roles" tenant of bench-roles.sh a long history (issue #6's 1,000,000 events), written straight
-- into the event store because a million API calls would take an hour here. The history is coherent with the stored state:
-- each user is granted a feature they do not hold directly, at changing qualifiers, and has it taken back again (22 times:
-- 44 events); each role's first qualifier is raised and lowered back 30 times (60 events). Timestamps run from the seed's
-- last event to a minute ago, in order. Run once: it does nothing when the tenant has a million events already.
do $$
declare
  t0 timestamptz := (select max(timestamp) from events.mt_events where tenant_id = 'roles');
  span interval := (now() - interval '1 minute') - t0;
begin
  if (select count(*) from events.mt_events where tenant_id = 'roles') >= 1000000 then return; end if;

  create temp table plan_users as
  select a.id as stream_id, (a.data->>'UserId')::uuid as user_id, s.version as base, row_number() over () as n
  from roles.mt_doc_useraccess a join events.mt_streams s on s.id = a.id and s.tenant_id = 'roles'
  where a.tenant_id = 'roles' and not (a.data->'Grants') @> '[{"FeatureCode": "manage-order-discounts"}]';

  insert into events.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, user_name)
  select nextval('events.mt_events_sequence'), gen_random_uuid(), u.stream_id, u.base + k,
    case when k % 2 = 1
      then jsonb_build_object('UserId', u.user_id, 'FeatureCode', 'manage-order-discounts', 'Qualifier', (k * 7 + u.n) % 40,
                              'HadGrant', false, 'PreviousQualifier', null)
      else jsonb_build_object('UserId', u.user_id, 'FeatureCode', 'manage-order-discounts', 'PreviousQualifier', ((k - 1) * 7 + u.n) % 40) end,
    case when k % 2 = 1 then 'feature_granted' else 'feature_revoked' end,
    t0 + span * ((k - 1) * 1.0 / 44 + (u.n % 1000) / 1000.0 / 44),
    'roles',
    case when k % 2 = 1 then 'OrderStream.Modules.Roles.Grants.FeatureGranted, OrderStream.Modules.Roles'
      else 'OrderStream.Modules.Roles.Grants.FeatureRevoked, OrderStream.Modules.Roles' end,
    'history-seed'
  from plan_users u cross join generate_series(1, 44) k
  order by k, u.n;
  update events.mt_streams s set version = s.version + 44 from plan_users u where s.id = u.stream_id and s.tenant_id = 'roles';

  create temp table plan_roles as
  select r.id, r.data, s.version as base, r.data->'Grants'->0->>'FeatureCode' as code, coalesce((r.data->'Grants'->0->>'Qualifier')::int, 0) as q
  from roles.mt_doc_role r join events.mt_streams s on s.id = r.id and s.tenant_id = 'roles'
  where r.tenant_id = 'roles' and jsonb_array_length(r.data->'Grants') > 0 and not coalesce((r.data->>'IsDeleted')::boolean, false);

  insert into events.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, user_name)
  select nextval('events.mt_events_sequence'), gen_random_uuid(), r.id, r.base + k,
    jsonb_build_object('RoleId', r.id, 'Name', r.data->>'Name', 'Description', r.data->'Description', 'PreviousName', r.data->>'Name',
      'PreviousDescription', r.data->'Description',
      'Grants', case when k % 2 = 1 then jsonb_set(r.data->'Grants', '{0,Qualifier}', to_jsonb(r.q + 1)) else r.data->'Grants' end,
      'PreviousGrants', case when k % 2 = 1 then r.data->'Grants' else jsonb_set(r.data->'Grants', '{0,Qualifier}', to_jsonb(r.q + 1)) end),
    'role_edited', t0 + span * ((k - 1) * 1.0 / 60), 'roles', 'OrderStream.Modules.Roles.Roles.RoleEdited, OrderStream.Modules.Roles', 'history-seed'
  from plan_roles r cross join generate_series(1, 60) k
  order by k;
  update events.mt_streams s set version = s.version + 60 from plan_roles r where s.id = r.id and s.tenant_id = 'roles';

  -- The snapshots carry their stream's version, as Marten's own writes leave them (an edit's If-Match is checked against it).
  update roles.mt_doc_useraccess a set data = jsonb_set(a.data, '{Version}', to_jsonb(s.version))
  from events.mt_streams s where s.id = a.id and s.tenant_id = 'roles' and a.tenant_id = 'roles';
  update roles.mt_doc_role r set data = jsonb_set(r.data, '{Version}', to_jsonb(s.version))
  from events.mt_streams s where s.id = r.id and s.tenant_id = 'roles' and r.tenant_id = 'roles';
end $$;
select count(*) as events_of_tenant_roles from events.mt_events where tenant_id = 'roles';
