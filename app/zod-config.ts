// Imported first by app/root.tsx, so it runs before any module that builds a zod schema.
//
// In the browser zod compiles object parsers with `new Function` when eval is allowed, and probes
// for that with a `new Function` call: under our Content-Security-Policy (no 'unsafe-eval',
// server/http-guards.ts) Chromium reports the probe as a violation although zod catches it.
// Jitless skips the probe and the compiling. The server has no such policy and keeps the JIT.
import { config } from "zod";

if (typeof document !== "undefined") config({ jitless: true });
