// `npm run psp`: the sandbox PSP alone, as its own HTTP service (app/providers/sandbox/service.ts).
// `npm start` forks this same file unless PAYDESK_PSP_URL points at a PSP already; then it tells
// the parent its URL over the IPC channel and ends with it (also when the parent is SIGKILLed).
//
//   PAYDESK_PSP_PORT      port (default 3001; 0 picks a free one)
//   PAYDESK_PSP_HOST      interface (default 127.0.0.1: the admin endpoint must not face the world)
//   PAYDESK_PSP_DATA_DIR  keep the PSP's memory in <dir>/operations.jsonl across restarts (unset: memory only)
//   PAYDESK_PSP_LATENCY_MS, _TIMEOUT_RATE, _ERROR_RATE, _LOST_ANSWER_RATE, _FAULT_OPS  fault knobs
import { faultsFromEnv } from "../app/providers/sandbox/faults";
import { createPspService } from "../app/providers/sandbox/service";

async function main() {
  const port = Number.parseInt(process.env.PAYDESK_PSP_PORT ?? "3001", 10);
  const host = process.env.PAYDESK_PSP_HOST ?? "127.0.0.1";
  const dataDir = process.env.PAYDESK_PSP_DATA_DIR || null;
  const faults = faultsFromEnv();
  const service = createPspService({ dataDir, faults });
  const url = await service.listen(port, host).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EADDRINUSE") throw error;
    console.error(`\nPort ${port} is taken: set PAYDESK_PSP_PORT (0 picks a free one) or PAYDESK_PSP_URL.\n`);
    process.exit(1);
  });
  const memory = dataDir
    ? `its memory is kept in ${dataDir}/operations.jsonl`
    : "it keeps nothing across restarts (set PAYDESK_PSP_DATA_DIR)";
  console.log(`Sandbox PSP is running at ${url}; ${memory}`);
  const active = Object.entries(faults).filter(([name, value]) => (name === "ops" ? value !== null : value !== 0));
  if (active.length) console.log(`Sandbox PSP faults: ${JSON.stringify(faults)}`);

  const stop = () => void service.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  if (process.send) {
    process.send({ url });
    process.on("disconnect", stop);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
