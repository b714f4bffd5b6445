// One icon per operation of the operation log, so the timeline tells CREATE from CREDIT and
// CAPTURE from CANCEL at a glance (two letters could not). Outline icons drawn after Tabler
// Icons (MIT), inline so that no icon package is needed for nine shapes.
import type { Operation } from "../domain/enums";

const PATHS: Record<Operation, string> = {
  CREATE: "M12 5v14M5 12h14",
  INITIATE: "M5 12h14M13 18l6-6M13 6l6 6",
  AUTHORIZE: "M5 13a2 2 0 0 1 2-2h10a2 2 0 0 1 2 2v6a2 2 0 0 1-2 2H7a2 2 0 0 1-2-2zM8 11V7a4 4 0 1 1 8 0v4",
  CAPTURE: "M5 12l5 5L20 7",
  IMPORT: "M4 17v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2M7 11l5 5 5-5M12 4v12",
  CREDIT: "M9 14l-4-4 4-4M5 10h11a4 4 0 1 1 0 8h-1",
  CANCEL: "M18 6L6 18M6 6l12 12",
  UPDATE: "M4 20h4L18.5 9.5a2.83 2.83 0 1 0-4-4L4 16v4M13.5 6.5l4 4",
};

/** A chargeback on the timeline (not an operation of the log; decision 040): a warning shield. */
const CHARGEBACK = "M12 3l8 4v5c0 5-3.5 8-8 9-4.5-1-8-4-8-9V7zM12 8v5M12 16v.01";

/** A circle for an operation this screen does not know yet (a new enum value). */
const UNKNOWN = "M12 12m-3 0a3 3 0 1 0 6 0a3 3 0 1 0-6 0";

/** The operation's icon; decorative (the operation's name is written beside it). */
export function OperationIcon({ operation, size = 14 }: { operation: string; size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2.25}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      data-operation={operation}
    >
      <path d={operation === "CHARGEBACK" ? CHARGEBACK : (PATHS[operation as Operation] ?? UNKNOWN)} />
    </svg>
  );
}
