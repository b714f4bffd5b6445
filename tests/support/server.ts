// Starts the real HTTP server (Express + the built Remix app, as `npm start` does) on a free
// port over a fresh test database. Integration tests talk to it with fetch, like any client.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { ServerBuild } from "@remix-run/node";
import { setDatabase } from "../../db/client";
import { ensureDemoData } from "../../db/demo";
import { createApp, listen } from "../../server/app";
import { createTestDatabase, type TestDatabase } from "./database";

export type TestServer = {
  url: string;
  database: TestDatabase;
  close(): Promise<void>;
};

export type TestServerOptions = {
  /** Seed the demo organisations, clients, staff users and this many payments. */
  demoPayments?: number;
};

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  process.env.PAYDESK_SEED = "none";
  const database = await createTestDatabase();
  setDatabase(database);
  // Without the demo's chargebacks: a browser test's world holds only those its test opens.
  if (options.demoPayments !== undefined)
    await ensureDemoData(database, { payments: options.demoPayments, chargebacks: false });
  const build = (await import("../../build/index.js" as string)) as ServerBuild;
  const server: Server = await new Promise((resolve) => {
    const listening = listen(createApp(build), 0, "127.0.0.1", () => resolve(listening));
  });
  // fetch (undici) reuses a kept-alive connection until one second before the server's advertised
  // timeout. On a loaded machine its timer can fire late, and a request sent as Node's default 5 s
  // run out meets a closed socket (ECONNRESET). A long timeout keeps the client the one to close.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 61_000;
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    database,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      setDatabase(undefined);
      await database.drop();
    },
  };
}
