-- Every change to an API client (a rotated token, a disabled client, new settings), whoever makes
-- it (a use-case, the CLI, SQL by hand), tells the app processes at once: they cache clients by
-- token hash and drop that cache on this notification (app/auth/api-client.server.ts).
CREATE FUNCTION notify_api_client_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('paydesk_api_clients', COALESCE(OLD.client_id, NEW.client_id));
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER api_clients_changed AFTER UPDATE OR DELETE ON api_clients
  FOR EACH ROW EXECUTE FUNCTION notify_api_client_change();
