// `pnpm --filter @watchpost/report-api bench`: every benchmark, one after the other. Numbers only;
// never part of `test`. See README "Performance" for the environment variables.
import { runAlertsBench } from './alerts.js';
import { runIngestBench } from './ingest.js';
import { runReportBench } from './report.js';

console.log(`node ${process.version}, ${new Date().toISOString()}`);
await runIngestBench();
await runReportBench();
await runAlertsBench();
