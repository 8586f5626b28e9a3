-- Today's rows in SQL, the same rules as src/model/today.rs, for
-- scripts/bench.sh (which fills in :as_of and :start_ms). One line per
-- row: section|peer or group|goal.
WITH settings_ AS (SELECT reengage_after_days AS w FROM settings),
seen AS (SELECT DISTINCT peer FROM checkins WHERE day = ':as_of' AND voided = 0),
last AS (
  SELECT p.id AS peer, p.intake, p.cadence,
    (SELECT c.id FROM checkins c WHERE c.peer = p.id AND c.voided = 0 AND c.at_ms < :start_ms
      ORDER BY c.at_ms DESC, c.id DESC LIMIT 1) AS cid,
    (SELECT max(a.date) FROM attendance a JOIN sessions s ON s.id = a.session
      WHERE a.peer = p.id AND a.date < ':as_of' AND s.voided = 0) AS gday
  FROM peers p WHERE p.active = 1 AND p.id NOT IN seen),
facts AS (
  SELECT l.*, c.follow_up AS fu, coalesce(c.day, l.intake) AS since,
    CAST(julianday(':as_of') - julianday(coalesce(c.day, l.intake)) AS INTEGER) AS days
  FROM last l LEFT JOIN checkins c ON c.id = l.cid),
facts2 AS (
  SELECT f.*, CASE WHEN f.gday IS NOT NULL AND f.gday > f.since
    THEN CAST(julianday(':as_of') - julianday(f.gday) AS INTEGER) ELSE f.days END AS seen_days
  FROM facts f),
contact AS (
  SELECT CASE
    WHEN fu = ':as_of' THEN 'follow-up-due'
    WHEN fu < ':as_of' THEN 'overdue'
    WHEN fu IS NOT NULL THEN NULL
    WHEN seen_days >= (SELECT w FROM settings_) AND (cadence IS NULL OR seen_days > cadence) THEN 'reengage'
    WHEN cadence IS NOT NULL AND days >= cadence THEN 'past-cadence'
  END AS section, peer FROM facts2)
SELECT section || '|P' || peer || '|' FROM contact WHERE section IS NOT NULL
UNION ALL
SELECT 'review-due|P' || g.peer || '|G' || g.id FROM goals g JOIN peers p ON p.id = g.peer
  WHERE g.active = 1 AND g.next_review <= ':as_of' AND p.active = 1
UNION ALL
SELECT 'seen-today|P' || peer || '|' FROM seen WHERE peer IN (SELECT id FROM peers)
UNION ALL
SELECT 'groups-today|GR' || id || '|' FROM groups_ WHERE (active = 1
    AND weekday = CAST(strftime('%w', ':as_of') AS INTEGER))
  OR id IN (SELECT grp FROM sessions WHERE date = ':as_of' AND voided = 0);
