/**
 * @module
 * A web-test-runner reporter that writes the counts of passed and failed tests to a JSON file,
 * so `npm test` can add them to its one closing line.
 */
import { writeFileSync } from 'node:fs';

function count(suite, totals) {
  if (!suite) return;
  for (const test of suite.tests) {
    if (test.skipped) totals.skipped += 1;
    else if (test.passed) totals.passed += 1;
    else totals.failed += 1;
  }
  for (const inner of suite.suites) count(inner, totals);
}

/** @param {string | undefined} path where to write `{passed, failed, skipped, fileErrors}` */
export function summaryReporter(path) {
  return {
    onTestRunFinished({ sessions }) {
      if (!path) return;
      const totals = { passed: 0, failed: 0, skipped: 0, fileErrors: 0 };
      for (const session of sessions) {
        count(session.testResults, totals);
        // A file that fails to load or errors outside a test has no results but is a failure.
        if (!session.passed && session.errors.length > 0) totals.fileErrors += 1;
      }
      writeFileSync(path, JSON.stringify(totals));
    },
  };
}
