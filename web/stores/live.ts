/**
 * The live feed (`GET /api/events`, Server-Sent Events): connection state, the latest KPI tick and
 * a bounded list of recent issue events. EventSource reconnects by itself and sends Last-Event-ID,
 * so the server replays what was missed; the store only tracks state and never grows unbounded.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { withAccessToken } from '../auth/token-store';

export type LiveState = 'connecting' | 'open' | 'reconnecting';
export type LiveIssueEvent = { id: string; type: 'issue.created' | 'issue.updated'; data: Record<string, unknown>; receivedAt: number };

const MAX_RECENT = 50;

export const useLiveStore = defineStore('live', () => {
  const state = ref<LiveState>('connecting');
  const lastEventAt = ref<number | null>(null);
  const kpi = shallowRef<unknown>(null);
  const recent = shallowRef<LiveIssueEvent[]>([]);
  /** Bumps on every event: a cheap signal for "refresh your data". */
  const revision = ref(0);
  let source: EventSource | null = null;
  let listeners: [string, (e: MessageEvent) => void][] = [];

  function push(type: LiveIssueEvent['type'], e: MessageEvent): void {
    const event: LiveIssueEvent = { id: e.lastEventId, type, data: JSON.parse(e.data), receivedAt: Date.now() };
    recent.value = [event, ...recent.value].slice(0, MAX_RECENT);
    lastEventAt.value = event.receivedAt;
    revision.value++;
  }

  /** Opens the stream once; calling it again is harmless. */
  function connect(url = '/api/events'): void {
    if (source) return;
    // EventSource cannot send an Authorization header; the live feed takes the token in the URL.
    source = new EventSource(withAccessToken(url));
    state.value = 'connecting';
    listeners = [
      ['issue.created', (e) => push('issue.created', e)],
      ['issue.updated', (e) => push('issue.updated', e)],
      ['kpi', (e) => { kpi.value = JSON.parse(e.data); lastEventAt.value = Date.now(); revision.value++; }],
      // The server could not replay what was missed (it restarted, or the gap was too long): reload everything.
      ['resync', () => { lastEventAt.value = Date.now(); revision.value++; }],
    ];
    for (const [name, fn] of listeners) source.addEventListener(name, fn as EventListener);
    source.onopen = () => { state.value = 'open'; };
    source.onerror = () => { state.value = 'reconnecting'; };
  }

  function disconnect(): void {
    if (!source) return;
    for (const [name, fn] of listeners) source.removeEventListener(name, fn as EventListener);
    source.onopen = null;
    source.onerror = null;
    source.close();
    source = null;
    listeners = [];
  }

  const connected = computed(() => state.value === 'open');
  return { state, connected, lastEventAt, kpi, recent, revision, connect, disconnect };
});
