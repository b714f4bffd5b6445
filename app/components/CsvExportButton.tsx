// "Export CSV" with progress. The link is a plain download (it works without JavaScript); with
// JavaScript the page fetches the file itself, counts the lines as they stream in against the
// number of rows the server expected when the export started (a response header; exact up to
// 10,000, above that the planner's estimate, so shown with "about"), and saves the file when it
// is complete. The server writes the CSV as it goes, so the length is never known in advance.
import { Button, Group, Progress, Text, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "./use-format";

type Progressing = { rows: number; expected: number; estimated: boolean };

export function CsvExportButton({
  href,
  filename,
  allowed,
  disabled,
  deniedLabel,
}: {
  href: string;
  filename: string;
  allowed: boolean;
  disabled?: boolean;
  /** Why the button is disabled for this user; by default, that exports are for finance and admin. */
  deniedLabel?: string;
}) {
  const { t } = useTranslation();
  const { count: formatCount } = useFormat();
  const [progress, setProgress] = useState<Progressing | null>(null);
  if (!allowed)
    return (
      <Tooltip label={deniedLabel ?? t("listTools.csv.denied")} withArrow>
        <Button
          variant="default"
          size="xs"
          data-disabled
          aria-disabled="true"
          onClick={(event) => event.preventDefault()}
        >
          {t("listTools.csv.export")}
        </Button>
      </Tooltip>
    );

  const download = async (event: React.MouseEvent) => {
    if (typeof ReadableStream === "undefined") return; // the plain download then
    event.preventDefault();
    if (progress) return;
    try {
      const response = await fetch(href, { credentials: "same-origin" });
      if (!response.ok || !response.body) throw new Error((await response.text()).slice(0, 300) || response.statusText);
      const expected = Number(response.headers.get("X-Expected-Rows") ?? "0");
      const estimated = response.headers.get("X-Expected-Rows-Estimated") === "true";
      const reader = response.body.getReader();
      const chunks: Uint8Array[] = [];
      let lines = 0;
      setProgress({ rows: 0, expected, estimated });
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        for (const byte of value) if (byte === 10) lines++;
        // The header is the first line; a quoted cell with a line break counts once too many.
        setProgress({ rows: Math.max(0, lines - 1), expected, estimated });
      }
      const url = URL.createObjectURL(new Blob(chunks as BlobPart[], { type: "text/csv" }));
      const anchor = document.createElement("a");
      anchor.href = url;
      anchor.download = filename;
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      notifications.show({
        color: "red",
        title: t("listTools.csv.failed"),
        message: String((error as Error).message ?? error),
      });
    } finally {
      setProgress(null);
    }
  };

  const percent = progress && progress.expected > 0 ? Math.min(100, (progress.rows / progress.expected) * 100) : 0;
  return (
    <Group gap="xs" wrap="nowrap">
      {progress ? (
        <Group gap={6} wrap="nowrap" data-testid="export-progress" role="status">
          <Progress value={percent} w={100} size="sm" aria-label={t("listTools.csv.progress")} />
          <Text size="xs" c="dimmed">
            {t(progress.estimated ? "listTools.csv.rowsAbout" : "listTools.csv.rows", {
              rows: formatCount(progress.rows),
              expected: formatCount(progress.expected),
            })}
          </Text>
        </Group>
      ) : null}
      <Button
        component="a"
        // A disabled link leads nowhere and says so (Mantine only styles it as disabled).
        href={disabled ? undefined : href}
        aria-disabled={disabled || undefined}
        download={filename}
        variant="default"
        size="xs"
        disabled={disabled}
        loading={progress !== null}
        onClick={download}
        data-testid="export-csv"
      >
        {t("listTools.csv.export")}
      </Button>
    </Group>
  );
}

/** The export URL of a list: the list's own query without `drop` (paging and the like) and the view. */
export function exportHrefOf(path: string, search: string, drop: readonly string[] = []): string {
  const params = new URLSearchParams(search);
  for (const name of [...drop, "view", "page", "perPage"]) params.delete(name);
  return `${path}${params.size ? `?${params}` : ""}`;
}
