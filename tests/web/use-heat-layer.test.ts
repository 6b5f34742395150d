import { describe, expect, it, vi } from 'vitest';
import { ref } from 'vue';
import { buildHeatLayer } from '../../web/map/layers/heat-layer';
import { useHeatLayer } from '../../web/map/use-heat-layer';

describe('useHeatLayer', () => {
  it('loads the heat layer only once heat is wanted, and keeps it', async () => {
    const wanted = ref(false);
    const builder = useHeatLayer(wanted);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(builder.value).toBeNull();
    wanted.value = true;
    await vi.waitFor(() => expect(builder.value).toBe(buildHeatLayer));
    wanted.value = false;
    await Promise.resolve();
    expect(builder.value).toBe(buildHeatLayer);
  });
});
