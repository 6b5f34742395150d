import { Hono } from 'hono';
import { z } from 'zod';
import { CONFIG_FILES, readConfigFile, validateConfig } from '../env.ts';
import type { RouteDoc } from '../openapi/build.ts';

/** The panels the big screen can show, in the spelling of `data/screen.json`. */
export const SCREEN_PANELS = ['kpis', 'immediate', 'trend', 'categories', 'ranking', 'sites', 'ticker', 'sources', 'photos', 'departments'] as const;

/** The levels below the top a tour can visit, from the widest. */
const TOUR_LEVELS = ['district', 'street'] as const;

/** Periods the panels other than the headline KPIs cover: rolling 7 or 30 days, or the calendar month or year so far. */
const SCREEN_PERIODS = ['7d', '30d', 'month', 'year'] as const;

const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour as #rrggbb');

const colours = z
  .object({
    background: colour.default('#050d1f'),
    panel: colour.default('#0b1a36'),
    border: colour.default('#1f4b8f'),
    text: colour.default('#e8f1ff'),
    muted: colour.default('#8fa8cc'),
    accent: colour.default('#35c6ff'),
    good: colour.default('#2ee59d'),
    warn: colour.default('#ffc53d'),
    bad: colour.default('#ff5b5b'),
  })
  .strict();

/**
 * `data/screen.json`, the big screen's committed configuration. Strict objects, so a misspelt key
 * is reported instead of silently ignored; URL parameters override some of it per screen.
 */
export const screenConfigSchema = z
  .object({
    $comment: z.string().optional(),
    /**
     * Shown in the title bar, e.g. 官渡区创文网格化管理指挥中心. Left out, the wall names its top
     * region: 昆明市创文网格化管理指挥中心 for a city, the district's name for a district.
     */
    title: z.string().trim().min(1).max(40).optional(),
    subtitle: z.string().max(60).default(''),
    /** Title and subtitle shown instead in English (`?lang=en`); without them the Chinese ones stay. */
    titleEn: z.string().trim().min(1).max(80).optional(),
    subtitleEn: z.string().max(100).optional(),
    /** A same-origin path or a data: URI; null draws the built-in emblem. External URLs would break offline walls. */
    logo: z
      .string()
      .max(200_000)
      .refine((s) => s.startsWith('/') || s.startsWith('data:image/'), 'expected a path starting with / or a data:image/ URI')
      .nullable()
      .default(null),
    panels: z
      .array(z.enum(SCREEN_PANELS))
      .min(1)
      .refine((p) => new Set(p).size === p.length, 'a panel is listed twice')
      .default([...SCREEN_PANELS]),
    period: z.enum(SCREEN_PERIODS).default('30d'),
    /** Seconds between full refreshes when no live tick arrives; the issue asks for at least one a minute. */
    refreshSeconds: z.number().int().min(10).max(60).default(60),
    tour: z
      .object({
        /** Seconds per stop; 0 turns the tour off. */
        seconds: z.number().int().min(0).max(3600).default(0),
        /** Every street, or only the N with the worst score. */
        streets: z.union([z.literal('all'), z.number().int().min(1).max(100)]).default('all'),
        /**
         * The levels below the wall's top that the tour visits, each district followed by its
         * streets: ["district"] tours a city's districts only, ["street"] a city's streets only.
         * A level at or above the top (a district wall's "district") is skipped.
         */
        levels: z.array(z.enum(TOUR_LEVELS)).min(1)
          .refine((l) => new Set(l).size === l.length, 'a level is listed twice')
          .default([...TOUR_LEVELS]),
        /** How long any interaction pauses the tour. */
        pauseSeconds: z.number().int().min(5).max(3600).default(60),
      })
      .strict()
      .default({ seconds: 0, streets: 'all', levels: [...TOUR_LEVELS], pauseSeconds: 60 }),
    /**
     * 态势回放 on the map: the last `days` days, one frame a day, each shown `frameSeconds`; 0 days
     * is off. With the tour on it plays after every `everyTours` laps, else it loops by itself.
     */
    replay: z
      .object({
        days: z.number().int().min(0).max(31).default(0),
        everyTours: z.number().int().min(1).max(100).default(1),
        frameSeconds: z.number().int().min(1).max(10).default(2),
      })
      .strict()
      .default({ days: 0, everyTours: 1, frameSeconds: 2 }),
    rankingSize: z.number().int().min(3).max(8).default(5),
    topCategories: z.number().int().min(3).max(10).default(6),
    siteTypes: z.array(z.string().regex(/^\w{1,32}$/, 'site type codes are letters, digits and _')).min(1).max(6)
      .default(['market', 'school', 'back_alley', 'residential']),
    map: z
      .object({ grids: z.boolean().default(true), heat: z.boolean().default(true), sites: z.boolean().default(true), pulses: z.boolean().default(true), labels: z.boolean().default(true) })
      .strict()
      .default({ grids: true, heat: true, sites: true, pulses: true, labels: true }),
    /** The 整改前后对比 carousel: the latest closures of the scope with a 整改前 and a 整改后 photo. */
    photos: z
      .object({
        /** Seconds each pair stays on the wall. */
        seconds: z.number().int().min(3).max(120).default(10),
        /** How many of the latest closures it cycles through. */
        pairs: z.number().int().min(1).max(30).default(12),
        /** Closures of which period: rolling 7 or 30 days, or the month or year so far. */
        period: z.enum(SCREEN_PERIODS).default('30d'),
      })
      .strict()
      .default({ seconds: 10, pairs: 12, period: '30d' }),
    colours: colours.default(colours.parse({})),
  })
  .strict();

/** The configuration after defaults are applied. */
export type ScreenConfig = z.infer<typeof screenConfigSchema>;
/** One panel kind. */
export type ScreenPanel = (typeof SCREEN_PANELS)[number];

/**
 * Validates a parsed `screen.json`. Throws an Error listing each bad field by its path
 * (`tour.seconds: …`), so a typo stops the server at start with the field named.
 */
export function parseScreenConfig(raw: unknown, source = 'screen config'): ScreenConfig {
  return validateConfig(screenConfigSchema, raw, source);
}

/** Reads and validates the file CIVGRID_SCREEN_CONFIG names (server/env.ts), by default data/screen.json. */
export function loadScreenConfig(path: string = CONFIG_FILES.CIVGRID_SCREEN_CONFIG): ScreenConfig {
  return readConfigFile('CIVGRID_SCREEN_CONFIG', path, screenConfigSchema);
}

/** OpenAPI entries of this route (see server/openapi). */
export const screenConfigDocs: RouteDoc[] = [
  {
    method: 'get', path: '/api/screen-config', tag: 'system',
    summary: 'The big screen\'s configuration (data/screen.json, validated at start): title (absent: named after the top region), logo, panels, period, tour, replay, colours.',
    description: 'Defaults filled in. The screen applies URL parameters (?tour=30, ?replay=7d, ?title=, ?panels=…) on top of this. '
      + 'The file is read once at start (`CIVGRID_SCREEN_CONFIG` moves it); restart the server after editing it.',
    responses: { 200: 'the configuration' },
  },
];

/**
 * `GET /api/screen-config`. The file is read and validated at start (server/index.ts), so a
 * broken file fails the server's start rather than every wall at its next reload.
 */
export function screenConfigRoutes(config: ScreenConfig) {
  return new Hono().get('/', (c) => {
    // Walls reload rarely; a short cache still lets an edited file show after a server restart.
    c.header('Cache-Control', 'no-cache');
    return c.json(config);
  });
}
