// The sandbox PSP (server/psp.ts) as a child process with an IPC channel: it tells its URL over
// the channel and ends when the channel closes, so it never outlives its parent, also not a
// SIGKILL of it. Used by `npm start` (server/index.ts) and by the test run (tests/support/psp.ts).
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

export type PspProcess = { url: string; pid: number; stop(): void };

/**
 * `quiet`: the PSP's stdout is dropped (its errors still show); `onOutput`: its stdout and stderr
 * go there instead (tests read them).
 */
export async function forkPsp(
  env: NodeJS.ProcessEnv,
  { quiet = false, onOutput }: { quiet?: boolean; onOutput?: (text: string) => void } = {},
): Promise<PspProcess> {
  // Under tsx (npm start) the child inherits its loader; under plain node (vitest) it needs one.
  const execArgv = process.execArgv.some((arg) => arg.includes("tsx")) ? process.execArgv : ["--import", "tsx"];
  const out = onOutput ? "pipe" : quiet ? "ignore" : "inherit";
  const child = fork(fileURLToPath(new URL("./psp.ts", import.meta.url)), [], {
    env,
    execArgv,
    stdio: ["ignore", out, onOutput ? "pipe" : "inherit", "ipc"],
  });
  child.stdout?.on("data", (chunk: Buffer) => onOutput?.(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => onOutput?.(chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.once("message", (message) => resolve((message as { url: string }).url));
    child.once("exit", (code) => reject(new Error(`The sandbox PSP exited (code ${code}) before it was ready`)));
  });
  let stopping = false;
  child.on("exit", (code, signal) => {
    if (!stopping) console.error(`The sandbox PSP stopped (${signal ?? `code ${code}`}); provider calls will fail.`);
  });
  return {
    url,
    pid: child.pid!,
    stop: () => {
      stopping = true;
      child.kill("SIGTERM");
    },
  };
}
