import { ensureTemporalCli } from './infra/temporal-cli';

// Run before the test tiers that need the real Temporal server: builds the CLI once and caches it.
const cli = ensureTemporalCli();
console.log(
  cli ? `Temporal CLI: ${cli}` : 'Temporal CLI: no Go here; @temporalio/testing will download the dev server',
);
