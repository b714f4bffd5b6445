// A labelled value in a detail screen's summary (payment, credit, customer): small caps label,
// the value below it, wrapping long ids instead of overflowing a narrow screen.
import { Text } from "@mantine/core";
import type { ReactNode } from "react";

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div" style={{ overflowWrap: "anywhere" }}>
        {children}
      </Text>
    </div>
  );
}

/** A free text under a detail screen's summary (a credit's reason, a decision's), after its label; nothing without one. */
export function SummaryNote({ label, text }: { label: string; text: string | null }) {
  if (!text) return null;
  return (
    <Text size="sm" mt="sm">
      <Text span c="dimmed" size="sm">
        {label}{" "}
      </Text>
      {text}
    </Text>
  );
}
