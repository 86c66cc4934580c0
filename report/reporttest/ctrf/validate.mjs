// Validates CTRF reports with the format's own published validator (the npm
// package ctrf, MIT, pinned in package.json): the report is read from the
// file named on the command line, or from stdin. Prints each schema error
// as "PATH: MESSAGE" and exits 1 when the report is not valid CTRF, 2 when
// it is not JSON at all.
import { readFileSync } from 'node:fs';
import { validate } from 'ctrf';

const file = process.argv[2] ?? 0;
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (err) {
  console.error(`not JSON: ${err.message}`);
  process.exit(2);
}
const result = validate(report);
for (const e of result.errors) {
  console.error(`${e.path || '/'}: ${e.message}`);
}
process.exit(result.valid ? 0 : 1);
