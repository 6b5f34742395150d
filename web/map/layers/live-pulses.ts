/**
 * Live pulses: an expanding, fading ring where an issue has just arrived over `/api/events`.
 * The builder is a pure function of the pulses and the clock; the caller animates it by
 * rebuilding each frame while {@link activePulses} is not empty, and stops when it is.
 */
import { ScatterplotLayer } from '@deck.gl/layers';
import { hexToRgba } from './colours';

/** Layer id of the pulses. */
export const LIVE_PULSES_ID = 'live-pulses';

/** How long one pulse is shown, in ms. */
export const PULSE_MS = 6_000;
/** One ring expands over this long, then the next starts. */
const RING_MS = 1_500;

/** A new issue to pulse at. */
export interface Pulse {
  id: string;
  lon: number;
  lat: number;
  /** `Date.now()` when it arrived. */
  at: number;
}

/** Pulses younger than {@link PULSE_MS} at `now`. */
export function activePulses(pulses: readonly Pulse[], now: number): Pulse[] {
  return pulses.filter((p) => now - p.at >= 0 && now - p.at < PULSE_MS);
}

/**
 * Pulses from live-feed events: `issue.created` events whose issue has coordinates. Accepts the
 * live store's `recent` list (newest first) as is.
 */
export function pulsesFromEvents(events: readonly { type: string; data: unknown; receivedAt: number }[]): Pulse[] {
  const out: Pulse[] = [];
  for (const e of events) {
    if (e.type !== 'issue.created') continue;
    const issue = (e.data as { issue?: { id?: unknown; lon?: unknown; lat?: unknown } } | null)?.issue;
    if (issue && typeof issue.lon === 'number' && typeof issue.lat === 'number') {
      out.push({ id: String(issue.id), lon: issue.lon, lat: issue.lat, at: e.receivedAt });
    }
  }
  return out;
}

/** Ring radius (px) and opacity (0–255) of a pulse at `now`. */
export function pulseFrame(pulse: Pulse, now: number): { radius: number; alpha: number } {
  const age = Math.max(0, now - pulse.at);
  const phase = (age % RING_MS) / RING_MS;
  const fade = Math.max(0, 1 - age / PULSE_MS);
  return { radius: 6 + phase * 28, alpha: Math.round(255 * (1 - phase) * fade) };
}

/** Options of {@link buildLivePulses}. */
export interface LivePulseOptions {
  pulses: readonly Pulse[];
  now: number;
  visible?: boolean;
  colour?: string;
}

/** The pulse layer (id {@link LIVE_PULSES_ID}): a ring plus a solid centre per active pulse. */
export function buildLivePulses(o: LivePulseOptions): ScatterplotLayer<Pulse> {
  const active = activePulses(o.pulses, o.now);
  const [r, g, b] = hexToRgba(o.colour ?? '#e11d48');
  return new ScatterplotLayer<Pulse>({
    id: LIVE_PULSES_ID,
    data: active,
    visible: o.visible ?? true,
    stroked: true,
    filled: true,
    radiusUnits: 'pixels',
    lineWidthUnits: 'pixels',
    getPosition: (d) => [d.lon, d.lat],
    getRadius: (d) => pulseFrame(d, o.now).radius,
    getFillColor: (d) => [r, g, b, Math.round(pulseFrame(d, o.now).alpha * 0.25)],
    getLineColor: (d) => [r, g, b, pulseFrame(d, o.now).alpha],
    getLineWidth: 2.5,
    updateTriggers: { getRadius: [o.now], getFillColor: [o.now], getLineColor: [o.now] },
  });
}
