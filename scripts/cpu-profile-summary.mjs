// Summarises a V8 CPU profile (node --cpu-prof; bench:provider --profile DIR): self time per package
// and the functions with the most inclusive time. Usage: node scripts/cpu-profile-summary.mjs FILE.cpuprofile
/* global console, process */
import fs from "node:fs";
const file = process.argv[2];
const p = JSON.parse(fs.readFileSync(file));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = p.timeDeltas;
let total = 0;
for (let i = 0; i < p.samples.length; i++) {
  const id = p.samples[i];
  self.set(id, (self.get(id) || 0) + (dt[i] || 0));
  total += dt[i] || 0;
}
// parent map
const parent = new Map();
for (const n of p.nodes) for (const c of n.children || []) parent.set(c, n.id);
// aggregate by package bucket (self time)
const bucket = (url) => {
  if (!url) return "(native)";
  const m = url.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  if (m) return m[1];
  if (url.includes("/build/")) return "app build";
  if (url.startsWith("node:")) return url;
  return url.replace(/.*\/work\/main\//, "");
};
const agg = new Map();
for (const [id, t] of self) {
  const n = byId.get(id);
  const b = n.callFrame.url ? bucket(n.callFrame.url) : n.callFrame.functionName || "(native)";
  agg.set(b, (agg.get(b) || 0) + t);
}
console.log("total ms", (total / 1000).toFixed(0));
[...agg]
  .sort((a, b) => b[1] - a[1])
  .slice(0, 25)
  .forEach(([k, v]) =>
    console.log((v / 1000).toFixed(0).padStart(7), ((100 * v) / total).toFixed(1).padStart(5) + "%", k),
  );
// inclusive time by function name containing app frames
const incl = new Map();
for (const [id, t] of self) {
  let cur = id;
  const seen = new Set();
  while (cur !== undefined) {
    const n = byId.get(cur);
    const key = n.callFrame.functionName + " " + bucket(n.callFrame.url) + ":" + n.callFrame.lineNumber;
    if (!seen.has(key)) {
      seen.add(key);
      incl.set(key, (incl.get(key) || 0) + t);
    }
    cur = parent.get(cur);
  }
}
console.log("--- inclusive");
[...incl]
  .sort((a, b) => b[1] - a[1])
  .slice(0, 70)
  .forEach(([k, v]) =>
    console.log((v / 1000).toFixed(0).padStart(7), ((100 * v) / total).toFixed(1).padStart(5) + "%", k),
  );
