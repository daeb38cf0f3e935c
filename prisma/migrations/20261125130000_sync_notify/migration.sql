-- Live progress across processes: the database itself announces that a sync has news, on channel `project_sync`
-- with the sync id as payload, so no code path that writes an event or moves a sync can forget to. Listeners
-- (src/events/sync-event-hub.ts) read what is new from the tables. NOTIFY is delivered when the writing transaction
-- commits, and identical notifications of one transaction are folded into one.

CREATE FUNCTION "project_sync_notify_event"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('project_sync', NEW."syncId"::text);
  RETURN NULL;
END;
$$;

CREATE FUNCTION "project_sync_notify_sync"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('project_sync', NEW.id::text);
  RETURN NULL;
END;
$$;

-- every stored progress event
CREATE TRIGGER "ProjectSyncEvent_notify" AFTER INSERT ON "ProjectSyncEvent"
  FOR EACH ROW EXECUTE FUNCTION "project_sync_notify_event"();

-- a sync created already ended (a stale delivery recorded cancelled at once)
CREATE TRIGGER "ProjectSync_notify_insert" AFTER INSERT ON "ProjectSync"
  FOR EACH ROW EXECUTE FUNCTION "project_sync_notify_sync"();

-- a status or phase change (superseded while queued, claimed, swept as dead, finished); heartbeats stay quiet
CREATE TRIGGER "ProjectSync_notify_update" AFTER UPDATE OF status, phase ON "ProjectSync"
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.phase IS DISTINCT FROM NEW.phase)
  EXECUTE FUNCTION "project_sync_notify_sync"();
