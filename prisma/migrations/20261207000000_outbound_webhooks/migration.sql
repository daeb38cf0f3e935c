-- Outbound webhooks (the change feed): endpoints, a durable outbox of events, their deliveries per endpoint and every
-- HTTP attempt. Events are written by the database itself, in the transaction that gives a sync its final status, so
-- no code path that ends a sync (finalize, restore, a full resync, a failure, a dead process's sweep, an invalid
-- config) can forget one: no event without its sync, no sync without its event.
CREATE TABLE "WebhookEndpoint" (
    "id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "repositoryId" UUID,
    "description" TEXT,
    "secret" TEXT NOT NULL,
    "disabledAt" TIMESTAMPTZ(3),
    "disabledReason" TEXT,
    "failingSince" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookEndpoint_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "WebhookEndpoint_repositoryId_idx" ON "WebhookEndpoint"("repositoryId");
ALTER TABLE "WebhookEndpoint" ADD CONSTRAINT "WebhookEndpoint_repositoryId_fkey" FOREIGN KEY ("repositoryId")
  REFERENCES "Repository"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "OutboxEvent" (
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "syncId" UUID NOT NULL,
    "repositoryId" UUID NOT NULL,
    "payload" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboxEvent_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "OutboxEvent_syncId_idx" ON "OutboxEvent"("syncId");
CREATE INDEX "OutboxEvent_createdAt_idx" ON "OutboxEvent"("createdAt");
ALTER TABLE "OutboxEvent" ADD CONSTRAINT "OutboxEvent_syncId_fkey" FOREIGN KEY ("syncId")
  REFERENCES "ProjectSync"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "OutboxEvent" ADD CONSTRAINT "OutboxEvent_repositoryId_fkey" FOREIGN KEY ("repositoryId")
  REFERENCES "Repository"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "OutboxDelivery" (
    "id" UUID NOT NULL,
    "eventId" UUID NOT NULL,
    "endpointId" UUID NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3),
    "claimedBy" INTEGER,
    "lastAttemptAt" TIMESTAMPTZ(3),
    "lastStatusCode" INTEGER,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboxDelivery_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "OutboxDelivery_status_check" CHECK ("status" IN ('pending', 'sending', 'succeeded', 'failed'))
);
CREATE UNIQUE INDEX "OutboxDelivery_eventId_endpointId_key" ON "OutboxDelivery"("eventId", "endpointId");
CREATE INDEX "OutboxDelivery_endpointId_createdAt_idx" ON "OutboxDelivery"("endpointId", "createdAt");
-- the dispatchers' claim reads only deliveries still to do; delivered ones pile up until pruned
CREATE INDEX "OutboxDelivery_due" ON "OutboxDelivery"("nextAttemptAt" NULLS FIRST) WHERE "status" IN ('pending', 'sending');
ALTER TABLE "OutboxDelivery" ADD CONSTRAINT "OutboxDelivery_eventId_fkey" FOREIGN KEY ("eventId")
  REFERENCES "OutboxEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "OutboxDelivery" ADD CONSTRAINT "OutboxDelivery_endpointId_fkey" FOREIGN KEY ("endpointId")
  REFERENCES "WebhookEndpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "OutboxAttempt" (
    "id" BIGSERIAL NOT NULL,
    "deliveryId" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "statusCode" INTEGER,
    "succeeded" BOOLEAN NOT NULL,
    "error" TEXT,
    "responseBody" TEXT,

    CONSTRAINT "OutboxAttempt_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "OutboxAttempt_deliveryId_id_idx" ON "OutboxAttempt"("deliveryId", "id");
ALTER TABLE "OutboxAttempt" ADD CONSTRAINT "OutboxAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId")
  REFERENCES "OutboxDelivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A sync that reaches `succeeded` (sync.succeeded, and branch.deleted when it deleted its branch) or `failed`
-- (sync.failed) gets one event per type, fanned out to the endpoints enabled at that moment for its repository or for
-- all: an endpoint created later never receives older events. With no such endpoint nothing is written. The
-- dispatchers are woken through the `project_sync` channel (payload `outbox`), at commit.
CREATE FUNCTION "project_sync_outbox"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kind TEXT;
  event_id UUID;
  at TIMESTAMPTZ := COALESCE(NEW."finishedAt"::timestamptz, now());
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM "WebhookEndpoint" e
    WHERE e."disabledAt" IS NULL AND (e."repositoryId" IS NULL OR e."repositoryId" = NEW."repositoryId")
  ) THEN
    RETURN NULL;
  END IF;
  FOREACH kind IN ARRAY (CASE
      WHEN NEW.status = 'succeeded' AND NEW."deletesBranch" THEN ARRAY['sync.succeeded', 'branch.deleted']
      WHEN NEW.status = 'succeeded' THEN ARRAY['sync.succeeded']
      WHEN NEW.status = 'failed' THEN ARRAY['sync.failed']
      ELSE ARRAY[]::TEXT[] END) LOOP
    event_id := gen_random_uuid();
    INSERT INTO "OutboxEvent" ("id", "type", "syncId", "repositoryId", "createdAt")
      VALUES (event_id, kind, NEW.id, NEW."repositoryId", at);
    INSERT INTO "OutboxDelivery" ("id", "eventId", "endpointId", "createdAt")
      SELECT gen_random_uuid(), event_id, e.id, at FROM "WebhookEndpoint" e
      WHERE e."disabledAt" IS NULL AND (e."repositoryId" IS NULL OR e."repositoryId" = NEW."repositoryId");
  END LOOP;
  PERFORM pg_notify('project_sync', 'outbox');
  RETURN NULL;
END;
$$;

CREATE TRIGGER "ProjectSync_outbox_update" AFTER UPDATE OF status ON "ProjectSync"
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.status IN ('succeeded', 'failed'))
  EXECUTE FUNCTION "project_sync_outbox"();

-- a sync recorded failed at once (an invalid repository config)
CREATE TRIGGER "ProjectSync_outbox_insert" AFTER INSERT ON "ProjectSync"
  FOR EACH ROW WHEN (NEW.status IN ('succeeded', 'failed'))
  EXECUTE FUNCTION "project_sync_outbox"();
