import { describe, expect, it } from "vitest";
import { keysetBatches } from "../../platform/keyset.server";
import { csvCell, csvResponse } from "./csv.server";

describe("csv cells", () => {
  it("quotes separators, quotes and line breaks", () => {
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(42)).toBe("42");
  });

  it("defuses text a spreadsheet would run as a formula but keeps negative amounts", () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("-12.50")).toBe("-12.50");
    expect(csvCell("+47 99999999")).toBe("'+47 99999999");
  });
});

describe("streamed csv", () => {
  it("writes the header and every keyset page, fetching pages only as far as needed", async () => {
    const all = Array.from({ length: 2501 }, (_, i) => i + 1);
    const requested: (number | null)[] = [];
    const batches = keysetBatches<number, number>(
      async (after, size) => {
        requested.push(after);
        return all.filter((n) => after === null || n > after).slice(0, size);
      },
      (n) => n,
      1000,
    );
    async function* rows() {
      for await (const batch of batches) yield batch.map((n) => [n, `row ${n}`]);
    }
    const response = csvResponse("export.csv", ["id", "label"], rows());
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const lines = (await response.text())
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(lines[0]).toBe("id,label");
    expect(lines).toHaveLength(2502);
    expect(lines.at(-1)).toBe("2501,row 2501");
    expect(requested).toEqual([null, 1000, 2000]);
  });
});
