// Vitest global set-up: migrates this run's template database once (tests/support/template.ts),
// hands its location to every test file through `provide`, and drops it when the run ends.
import type { TestProject } from "vitest/node";
import { createTemplate, dropTemplate } from "./template";

export default async function setup(project: TestProject) {
  const template = await createTemplate(process.env.DATABASE_URL || undefined);
  project.provide("paydeskTemplate", template);
  return () => dropTemplate(template);
}
