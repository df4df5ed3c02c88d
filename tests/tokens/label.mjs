// Labels the token-estimate corpus with real cl100k_base counts (the oracle of
// tests/storage/token_accuracy_test.cpp).
//   node tests/tokens/label.mjs          rewrites tests/tokens/labels.json
//   node tests/tokens/label.mjs --check  exits 1 if labels.json differs from the corpus
// Each file under corpus/<kind>/ gets its byte size, its cl100k count, and its split: "heldout"
// for about a third of the files (first byte of the SHA-1 of the name, mod 3 == 0), kept out of
// the tuning of the estimator's rules, "tuning" for the rest.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { getEncoding } from "js-tiktoken";

const here = dirname(fileURLToPath(import.meta.url));
const corpus = join(here, "corpus");
const out = join(here, "labels.json");

function files() {
  const names = [];
  for (const kind of readdirSync(corpus).sort()) {
    for (const f of readdirSync(join(corpus, kind)).sort()) names.push(`${kind}/${f}`);
  }
  return names;
}

const enc = getEncoding("cl100k_base");
const labels = {};
for (const name of files()) {
  const bytes = readFileSync(join(corpus, name));
  // allowedSpecial "all" so that text like "<|endoftext|>" counts as written, never throws.
  const cl100k = enc.encode(bytes.toString("utf8"), "all").length;
  const split = createHash("sha1").update(name).digest()[0] % 3 === 0 ? "heldout" : "tuning";
  labels[name] = { bytes: bytes.length, cl100k, split };
}
const text = JSON.stringify(labels, null, 1) + "\n";

if (process.argv.includes("--check")) {
  let old = "";
  try { old = readFileSync(out, "utf8"); } catch { /* missing: stale */ }
  if (old !== text) {
    console.error("tests/tokens/labels.json is stale: run `node tests/tokens/label.mjs` and commit it");
    process.exit(1);
  }
  console.log(`labels.json matches the corpus (${Object.keys(labels).length} files)`);
} else {
  writeFileSync(out, text);
  console.log(`wrote ${out} (${Object.keys(labels).length} files)`);
}
