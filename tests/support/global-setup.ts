// Vitest global set-up: migrates this run's template database once (tests/support/template.ts),
// hands its location to every test file through `provide`, and drops it when the run ends.
import type { TestProject } from "vitest/node";
import { createTemplate, dropTemplate } from "./template";
import { forkPsp } from "../../server/psp-process";

export default async function setup(project: TestProject) {
  // One sandbox PSP for the run, in a process of its own (started meanwhile); the workers, forked
  // after this, inherit its URL and a bound a loaded machine's stalls do not reach (timeout tests set their own).
  const starting = forkPsp({ ...process.env, PAYDESK_PSP_PORT: "0", PAYDESK_PSP_DATA_DIR: "" }, { quiet: true });
  const template = await createTemplate(process.env.DATABASE_URL || undefined);
  project.provide("paydeskTemplate", template);
  const psp = await starting;
  process.env.PAYDESK_PSP_URL = psp.url;
  process.env.PAYDESK_PSP_TIMEOUT_MS ??= "15000";
  // Likewise the request deadline and the database's lock and statement bounds: on two loaded
  // cores 50 racing requests can queue past the production bounds, answer 503 as designed, and
  // leave a race test without its one winner. The tests of those bounds set their own.
  process.env.PAYDESK_REQUEST_DEADLINE_MS ??= "30000";
  process.env.PAYDESK_DB_LOCK_TIMEOUT_MS ??= "10000";
  process.env.PAYDESK_DB_STATEMENT_TIMEOUT_MS ??= "20000";
  return async () => {
    psp.stop();
    await dropTemplate(template);
  };
}
