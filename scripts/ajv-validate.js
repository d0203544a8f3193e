// ajv-validate.js: the peer for `make bench-ajv`. Validates every line of a
// JSONL file against schemas exported by `chathook schemas export`, with
// ajv (draft 2020-12, formats asserted, all errors), the way a team would
// without chathook. Usage: node ajv-validate.js SCHEMA_DIR ROOT_ID FILE
// (ajv and ajv-formats are resolved through NODE_PATH).
"use strict";
const fs = require("fs");
const path = require("path");
const readline = require("readline");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const [dir, rootId, file] = process.argv.slice(2);
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
(function walk(d) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith(".json")) ajv.addSchema(JSON.parse(fs.readFileSync(p, "utf8")));
  }
})(dir);
const validate = ajv.getSchema(rootId);
let total = 0, invalid = 0;
const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
rl.on("line", (line) => {
  if (!line.trim()) return;
  total++;
  let v;
  try { v = JSON.parse(line); } catch (e) { invalid++; return; }
  if (!validate(v)) invalid++;
});
rl.on("close", () => {
  console.log(`${total} payload(s): ${total - invalid} valid, ${invalid} invalid`);
  process.exit(invalid > 0 ? 1 : 0);
});
