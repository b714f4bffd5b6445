// Debian's Chromium driven by playwright-core (never a downloaded browser). Where Chromium is
// missing, browser tests are skipped with a notice on a developer's machine and fail on CI.
import fs from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const chromiumAvailable = fs.existsSync(CHROMIUM_PATH);

if (!chromiumAvailable) {
  const message = `Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) to run the browser tests.`;
  if (process.env.CI) throw new Error(message);
  console.warn(`${message} Skipping them.`);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}
