/**
 * Issue 8's load test against a server of your choice (`npm run bench -- --load` runs it on a
 * generated dataset instead):
 * `tsx scripts/load.ts (--url URL --token ADMIN_TOKEN | --db PATH) [--duration 60] [--sse 200]
 *  [--reads 100] [--ingests 10] [--json FILE]`
 *
 * Holds `--sse` live-feed clients and sends `--reads` mixed reads and `--ingests` issue reports
 * per second for `--duration` seconds; passes with zero errors and p99 ≤ 300 ms. With --db it
 * starts a server on that database (the ingests are written to it). Prints the figures, then the
 * report as JSON. Exits 1 on FAIL.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { readEnv } from '../server/env.ts';
import { renderLoadReport, runLoad } from './bench/load-test.ts';
import { startServer } from './bench/server.ts';

const USAGE = 'usage: tsx scripts/load.ts (--url URL --token TOKEN | --db PATH) [--duration S] [--sse N] [--reads N] [--ingests N] [--json FILE]';

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        url: { type: 'string' }, token: { type: 'string' }, db: { type: 'string' }, duration: { type: 'string' },
        sse: { type: 'string' }, reads: { type: 'string' }, ingests: { type: 'string' }, json: { type: 'string' }, help: { type: 'boolean' },
      },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
})();
if (values.help || (!values.url && !values.db)) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}
const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));
const log = (line: string) => console.error(line);

let url = values.url;
let token = values.token ?? readEnv().CIVGRID_TOKEN;
let stop = async () => undefined as void;
if (!url) {
  const server = await startServer(values.db!);
  url = server.url;
  stop = () => server.stop();
  token ??= readFileSync(join(dirname(values.db!), 'admin-token'), 'utf8').trim();
}
if (!token) {
  console.error(`--url needs --token (or CIVGRID_TOKEN): an admin token, to issue the load test its operator token\n${USAGE}`);
  process.exit(2);
}

try {
  const report = await runLoad({
    url, adminToken: token, log,
    durationS: num(values.duration, 60), sseClients: num(values.sse, 200), readsPerS: num(values.reads, 100), ingestsPerS: num(values.ingests, 10),
  });
  console.log(renderLoadReport(report));
  console.log(JSON.stringify(report, null, 2));
  if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  process.exitCode = report.pass ? 0 : 1;
} finally {
  await stop();
}
