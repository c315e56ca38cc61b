import { readFileSync } from 'node:fs';

// Prints the run's closing line in the plain form CI reads: "tests: N passed, N failed".
const report = JSON.parse(readFileSync('.tools/vitest-report.json', 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number };
console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed${report.numPendingTests ? `, ${report.numPendingTests} skipped` : ''}`);
// A second guard: whatever exit code the runner left, a failed test fails the run.
if (report.numFailedTests > 0) process.exit(1);
