/**
 * Lua for `recordNotifications`: one atomic round trip for a batch of notifications. For each, it
 * finds or opens the group's incident, merges its alerts by fingerprint, counts firing/resolved,
 * appends the timeline and bumps the version. Redeliveries change nothing and say so.
 *
 * ARGV: prefix, now (ms), number of notifications, the batch id ('' for none: when given, the key
 * `<prefix>:intake-batch:<id>` is set, for the batch's dispatch job to see that the batch is stored),
 * then per notification its groupKey, keyBase, group JSON, body (the JSON text as received, stored
 * as is: never re-encoded) and its alerts packed in one argument (see `record-notifications.ts`).
 * Returns, three values per notification: outcome (created | updated | unchanged | ignored), key,
 * version; or `invalid`, the decoder's complaint and 0 for a notification whose group JSON Redis
 * cannot decode (it writes nothing for that one). Whether an incident's jobs are still owed is the dispatch job's question (its `jobs`
 * mark against its version, see `listUndispatched`), not intake's.
 *
 * Alert transitions follow each alert's own times, never arrival order, so a lagging Alertmanager
 * peer cannot undo a newer state, and HA peers (or HA Prometheus pairs) that disagree on `startsAt`
 * by a few milliseconds do not flap the card: firing → resolved needs `endsAt` ≥ the stored
 * `startsAt`; resolved → firing needs `startsAt` > the stored `endsAt`; within one state nothing
 * counts as a change (like Alertmanager, which does not notify for annotation-only changes).
 */
export const RECORD_NOTIFICATIONS_LUA = `
local prefix = ARGV[1]
local now = tonumber(ARGV[2])
local openKey = prefix .. ':incidents:open'
-- unpack() is limited to a few thousand values: large groups go in chunks.
local CHUNK = 1000
local function plural(count, word) if count == 1 then return '1 ' .. word end return count .. ' ' .. word .. 's' end

-- One notification, whose five arguments start after ARGV[base]: groupKey, keyBase, group JSON,
-- the notification's body as received, and its alerts packed one per line as
-- "fingerprint<TAB>status|startsMs|endsMs" (one argument, not four per alert: every argument
-- costs the script a Lua string).
local function record(base)
  local groupKey, keyBase = ARGV[base + 1], ARGV[base + 2]
  -- Decoded before anything is written: a group Redis cannot decode fails alone, and its batch is stored.
  local decoded, n = pcall(cjson.decode, ARGV[base + 3])
  if not decoded then return {'invalid', tostring(n), '0'} end
  local fps, statuses, starts, ends, states = {}, {}, {}, {}, {}
  for fp, status, startsMs, endsMs in string.gmatch(ARGV[base + 5], '([^\\t\\n]+)\\t(%a+)|(-?%d+)|(-?%d+)\\n') do
    table.insert(fps, fp)
    table.insert(statuses, status)
    table.insert(starts, tonumber(startsMs))
    table.insert(ends, tonumber(endsMs))
    table.insert(states, status .. '|' .. startsMs .. '|' .. endsMs)
  end
  local count = #fps

  local key = redis.call('HGET', openKey, groupKey)
  local inc
  local created = false
  if key then
    inc = cjson.decode(redis.call('HGET', prefix .. ':incident:' .. key, 'json'))
  else
    local anyFiring = false
    for i = 1, count do
      if statuses[i] == 'firing' then anyFiring = true end
    end
    -- A resolved-only notification for a group without an open incident (e.g. a redelivery after
    -- responders closed it) must not open a new one.
    if not anyFiring then return {'ignored', '', '0'} end
    local generation = redis.call('HINCRBY', prefix .. ':incidents:generation', groupKey, 1)
    key = keyBase
    if generation > 1 then key = keyBase .. '-' .. generation end
    inc = {
      key = key, groupKey = groupKey, generation = generation, phase = 'triage', status = 'firing',
      destinations = n.destinations, playbook = n.playbook,
      firing = 0, resolved = 0, openedAt = now, updatedAt = now, version = 0,
    }
    created = true
    redis.call('HSET', openKey, groupKey, key)
    redis.call('ZADD', prefix .. ':incidents:index', now, key)
  end

  local incidentKey = prefix .. ':incident:' .. key
  local alertsKey = incidentKey .. ':alerts'
  local olds = {}
  -- A new incident has no stored alerts yet: nothing to read.
  for first = 1, created and 0 or count, CHUNK do
    local fingerprints = {}
    for i = first, math.min(count, first + CHUNK - 1) do table.insert(fingerprints, fps[i]) end
    local values = redis.call('HMGET', alertsKey, unpack(fingerprints))
    for j = 1, #fingerprints do olds[first + j - 1] = values[j] end
  end
  -- Each alert's state is "status|startsMs|endsMs".
  local writes = {}
  local joined, resolvedNow, refired = 0, 0, 0
  for i = 1, count do
    local old, status, state = olds[i], statuses[i], states[i]
    if not old then
      table.insert(writes, fps[i])
      table.insert(writes, state)
      joined = joined + 1
      if status == 'firing' then inc.firing = inc.firing + 1 else inc.resolved = inc.resolved + 1 end
    else
      local oldStatus, oldStarts, oldEnds = string.match(old, '^(%a+)|(-?[%d.e+]+)|(-?[%d.e+]+)$')
      -- Same status: nothing happened, whatever clock a peer stamped on its copy.
      local accept = false
      if oldStatus ~= status then
        if status == 'resolved' then
          accept = ends[i] >= tonumber(oldStarts)
        else
          -- Firing again only when it started after the stored resolution ended.
          accept = starts[i] > tonumber(oldEnds)
        end
      end
      if accept then
        table.insert(writes, fps[i])
        table.insert(writes, state)
        if status == 'resolved' then
          resolvedNow = resolvedNow + 1
          inc.firing = inc.firing - 1
          inc.resolved = inc.resolved + 1
        else
          refired = refired + 1
          inc.firing = inc.firing + 1
          inc.resolved = inc.resolved - 1
        end
      end
    end
  end
  for first = 1, #writes, 2 * CHUNK do
    redis.call('HSET', alertsKey, unpack(writes, first, math.min(#writes, first + 2 * CHUNK - 1)))
  end

  -- Alerts Alertmanager cut from the notification (max_alerts): a new count is news for the card.
  local truncated = tonumber(n.truncatedAlerts) or 0
  local changed = created or joined + resolvedNow + refired > 0 or truncated ~= (tonumber(inc.truncatedAlerts) or 0)
  if not changed then return {'unchanged', key, tostring(inc.version)} end

  local timelineKey = incidentKey .. ':timeline'
  local function note(kind, text)
    redis.call('RPUSH', timelineKey, cjson.encode({ at = now, kind = kind, text = text }))
  end
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
  inc.truncatedAlerts = truncated
  inc.updatedAt = now
  inc.version = inc.version + 1
  -- The latest body that changed something: its labels and annotations are what cards show.
  redis.call('HSET', incidentKey, 'json', cjson.encode(inc), 'body', ARGV[base + 4])
  local outcome = 'updated'
  if created then outcome = 'created' end
  return {outcome, key, tostring(inc.version)}
end

local results = {}
local base = 4
for _ = 1, tonumber(ARGV[3]) do
  for _, value in ipairs(record(base)) do table.insert(results, value) end
  base = base + 5
end
if ARGV[4] ~= '' then
  -- Outlives any wait of the dispatch job, which deletes it once done; a batch whose dispatch job
  -- was never queued (intake answered 503) leaves it to expire.
  redis.call('SET', prefix .. ':intake-batch:' .. ARGV[4], '1', 'PX', 7 * 24 * 3600 * 1000)
end
return results
`;
