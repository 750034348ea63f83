-- Who asked for each order step: the name of the API key (HTTP) or the actor a Kafka command
-- declared, as stockd.events.actor (0004) has it for items. NULL for stockd's own steps (expiry,
-- finishing a saga a restart interrupted) and for events projected before stockd recorded it.
ALTER TABLE stockd.order_events ADD COLUMN actor text;
