/**
 * The wall's scale, provided by ScreenView to every panel: CSS px per desk px (1 at 1080 px
 * high, 2 at 2160). Canvas-drawn things (charts, map layers) need it; HTML uses rem instead.
 */
import type { InjectionKey, Ref } from 'vue';

export const WALL_SCALE: InjectionKey<Ref<number>> = Symbol('wall-scale');
