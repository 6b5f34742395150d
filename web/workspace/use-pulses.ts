/**
 * Drives the live-pulse layer: new issues from the live feed pulse for a few seconds. The clock
 * ticks by requestAnimationFrame only while a pulse is active, so an idle map costs nothing.
 */
import { onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue';
import { activePulses, pulsesFromEvents, type Pulse } from '../map/layers/live-pulses';
import type { LiveIssueEvent } from '../stores/live';

/** Pulses and the animation clock. */
export function usePulses(recent: Ref<LiveIssueEvent[]>) {
  const pulses = shallowRef<Pulse[]>([]);
  const now = ref(Date.now());
  let frame = 0;

  function tick(): void {
    now.value = Date.now();
    frame = activePulses(pulses.value, now.value).length ? requestAnimationFrame(tick) : 0;
  }

  watch(recent, (events) => {
    pulses.value = activePulses(pulsesFromEvents(events), Date.now());
    if (!frame && pulses.value.length) frame = requestAnimationFrame(tick);
  });

  onBeforeUnmount(() => {
    if (frame) cancelAnimationFrame(frame);
  });

  return { pulses, now };
}
