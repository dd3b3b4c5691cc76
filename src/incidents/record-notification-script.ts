/**
 * Lua for `recordNotification`: one atomic round trip that finds or opens the group's incident,
 * merges its alerts by fingerprint, counts firing/resolved, appends the timeline and bumps the
 * version. Redeliveries change nothing and say so.
 *
 * ARGV: prefix, groupKey, keyBase, now (ms), notification JSON (see `record-notification.ts`).
 * Returns: { outcome, key, version, needJobs } where outcome is created | updated | unchanged | ignored.
 *
 * Alert transitions follow each alert's own times, never arrival order, so a lagging Alertmanager
 * peer cannot undo a newer state, and HA peers (or HA Prometheus pairs) that disagree on `startsAt`
 * by a few milliseconds do not flap the card: firing → resolved needs `endsAt` ≥ the stored
 * `startsAt`; resolved → firing needs `startsAt` > the stored `endsAt`; within one state only a
 * change of labels, annotations or link counts.
 */
export const RECORD_NOTIFICATION_LUA = `
local prefix, groupKey, keyBase = ARGV[1], ARGV[2], ARGV[3]
local now = tonumber(ARGV[4])
local n = cjson.decode(ARGV[5])
local openKey = prefix .. ':incidents:open'

local key = redis.call('HGET', openKey, groupKey)
local inc
local created = false
if key then
  inc = cjson.decode(redis.call('HGET', prefix .. ':incident:' .. key, 'json'))
else
  local anyFiring = false
  for _, a in ipairs(n.alerts) do
    if a.status == 'firing' then anyFiring = true end
  end
  -- A resolved-only notification for a group without an open incident (e.g. a redelivery after
  -- responders closed it) must not open a new one.
  if not anyFiring then return {'ignored', '', '0', '0'} end
  local generation = redis.call('HINCRBY', prefix .. ':incidents:generation', groupKey, 1)
  key = keyBase
  if generation > 1 then key = keyBase .. '-' .. generation end
  inc = {
    key = key, groupKey = groupKey, phase = 'triage', status = 'firing',
    destinations = n.destinations, playbook = n.playbook,
    firing = 0, resolved = 0, openedAt = now, updatedAt = now, version = 0,
  }
  created = true
  redis.call('HSET', openKey, groupKey, key)
  redis.call('ZADD', prefix .. ':incidents:index', now, key)
end

local incidentKey = prefix .. ':incident:' .. key
local alertsKey = incidentKey .. ':alerts'
local joined, resolvedNow, refired, edited = 0, 0, 0, 0
for _, a in ipairs(n.alerts) do
  local old = redis.call('HGET', alertsKey, a.fingerprint)
  if not old then
    redis.call('HSET', alertsKey, a.fingerprint, a.raw)
    joined = joined + 1
    if a.status == 'firing' then inc.firing = inc.firing + 1 else inc.resolved = inc.resolved + 1 end
  elseif old ~= a.raw then
    local o = cjson.decode(old)
    local accept
    if o.status == a.status then
      -- Same state: only a change of labels, annotations or link counts (not the peers' clocks).
      accept = o.content ~= a.content
    elseif a.status == 'resolved' then
      accept = a.endsMs >= o.startsMs
    else
      -- Firing again only when it started after the stored resolution ended.
      accept = a.startsMs > o.endsMs
    end
    if accept then
      redis.call('HSET', alertsKey, a.fingerprint, a.raw)
      if o.status ~= a.status then
        if a.status == 'resolved' then
          resolvedNow = resolvedNow + 1
          inc.firing = inc.firing - 1
          inc.resolved = inc.resolved + 1
        else
          refired = refired + 1
          inc.firing = inc.firing + 1
          inc.resolved = inc.resolved - 1
        end
      else
        edited = edited + 1
      end
    end
  end
end

local changed = created or joined + resolvedNow + refired + edited > 0
local jobs = tonumber(redis.call('HGET', incidentKey, 'jobs') or '0')
if not changed then
  local need = '0'
  if jobs < inc.version then need = '1' end
  return {'unchanged', key, tostring(inc.version), need}
end

local timelineKey = incidentKey .. ':timeline'
local function note(kind, text)
  redis.call('RPUSH', timelineKey, cjson.encode({ at = now, kind = kind, text = text }))
end
local function plural(count, word) if count == 1 then return '1 ' .. word end return count .. ' ' .. word .. 's' end
if created then
  note('opened', 'Opened by Alertmanager: ' .. plural(inc.firing, 'alert') .. ' firing')
else
  if joined > 0 then note('alerts', plural(joined, 'alert') .. ' joined the group') end
  if refired > 0 then note('alerts', plural(refired, 'alert') .. ' firing again') end
  if resolvedNow > 0 then note('resolved', plural(resolvedNow, 'alert') .. ' resolved at the source') end
end

local wasStatus = inc.status
if inc.firing > 0 then inc.status = 'firing' else inc.status = 'resolved' end
if inc.status == 'resolved' and wasStatus ~= 'resolved' then
  inc.resolvedAt = now
  note('resolved', 'The source reports every alert of the group resolved')
elseif inc.status == 'firing' then
  inc.resolvedAt = nil
end

inc.title = n.title
inc.severity = n.severity
inc.groupLabels = n.groupLabels
inc.commonLabels = n.commonLabels
inc.externalURL = n.externalURL
inc.receiver = n.receiver
inc.updatedAt = now
inc.version = inc.version + 1
redis.call('HSET', incidentKey, 'json', cjson.encode(inc))
local outcome = 'updated'
if created then outcome = 'created' end
return {outcome, key, tostring(inc.version), '1'}
`;
