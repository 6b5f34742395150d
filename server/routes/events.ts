import { zValidator } from '@hono/zod-validator';
import { kpiContextOf } from '../kpi/query.ts';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { districtKpiTick, KpiTicker, type KpiTick } from '../live/kpi-ticker.ts';
import { Outbox } from '../live/outbox.ts';
import { Turns } from '../live/turns.ts';
import { busFrames, commentFrame, FrameCache, sseFrame } from '../live/sse-frame.ts';
import type { RouteDoc } from '../openapi/build.ts';
import { queryError } from './validation.ts';

const query = z.object({
  tick: z.coerce.number().int().min(1).max(300).default(15).describe('seconds between kpi events (default 15)'),
  lastEventId: z.string().max(64).optional()
    .describe('resume after this event id, for clients that cannot send the Last-Event-ID header'),
});

export const eventDocs: RouteDoc[] = [
  {
    method: 'get', path: '/api/events', tag: 'live', query, produces: 'text/event-stream',
    summary: 'Server-Sent Events: issue.created, issue.updated (with id) and kpi ticks; Last-Event-ID resumes without loss.',
    description: 'Events `issue.created` {issue} and `issue.updated` {issue, event} carry an `id:` (`<epoch>-<seq>`, the epoch new in '
      + 'every server process); a reconnect with `Last-Event-ID` (or `?lastEventId=`) first replays what was missed. When the server '
      + 'cannot replay from that id (one of an earlier process, from before a restart or a restore; one evicted from the replay buffer; '
      + 'one ahead of the server; or no id of ours) it sends `resync` and the client should reload its data. '
      + '`kpi` {at, district, toDate, today} comes every `tick` seconds, '
      + 'without an id. Comment lines keep idle connections open.',
    responses: { 200: 'event stream', 400: 'invalid parameter' },
  },
];

const HEARTBEAT_MS = 15_000;
/** The browser waits this long before reconnecting after a drop. */
const RETRY_MS = 3_000;
/**
 * A client that falls this far behind is disconnected rather than buffered without bound; it
 * reconnects with Last-Event-ID and catches up from the bus's replay buffer.
 */
const MAX_BACKLOG = 1_000;

const HEARTBEAT = commentFrame('heartbeat');

/** Live-feed clients written to per turn of the event loop (a few ms of socket writes). */
const CLIENTS_PER_TURN = 32;

/** `GET /api/events` — the live feed. */
export function eventRoutes(deps: AppDeps) {
  const { bus } = deps;
  // One ticker per app: all clients share its timers and computations.
  const ticker = new KpiTicker(() => districtKpiTick(kpiContextOf(deps)));
  const eventFrames = busFrames();
  const tickFrames = new FrameCache<KpiTick>((tick) => ({ event: 'kpi', data: JSON.stringify(tick) }));
  // Shared by the clients: a burst reaches them a few per turn, not all in one.
  const turns = new Turns(CLIENTS_PER_TURN);
  const turn = () => turns.wait();

  return new Hono().get('/', zValidator('query', query, queryError), (c) => {
    const q = c.req.valid('query');
    // A client that sends an id claims to have seen events; whatever it sends, it gets a replay or a resync.
    const header = c.req.header('Last-Event-ID')?.trim();
    const lastId = header || q.lastEventId?.trim() || undefined;
    // Reverse proxies (nginx) would otherwise buffer the stream and deliver events late.
    c.header('X-Accel-Buffering', 'no');

    return streamSSE(c, async (stream) => {
      const outbox = new Outbox(MAX_BACKLOG, turn);

      // Replay and subscription happen in one synchronous step, so no event falls between them
      // and none is sent twice.
      if (lastId !== undefined) {
        const missed = bus.replay(lastId);
        if (missed.complete) outbox.preload(missed.events.map((e) => eventFrames.of(e)));
        else outbox.push(sseFrame({ event: 'resync', id: bus.lastId, data: JSON.stringify({ reason: 'events since your last id are no longer available' }) }));
      }
      const unsubscribe = bus.subscribe((e) => outbox.push(eventFrames.of(e)));
      const stopTicks = ticker.subscribe(q.tick * 1000, (tick) => outbox.push(tickFrames.of(tick)));
      const heartbeat = setInterval(() => outbox.push(HEARTBEAT), HEARTBEAT_MS);
      stream.onAbort(() => outbox.close());

      try {
        await stream.write(`retry: ${RETRY_MS}\n\n`);
        for (let chunk = await outbox.next(); chunk && !stream.aborted; chunk = await outbox.next()) await stream.write(chunk);
      } finally {
        unsubscribe();
        stopTicks();
        clearInterval(heartbeat);
      }
    });
  });
}
