/**
 * The app's pages by path, each its own chunk (docs/architecture.md): the big screen never
 * downloads the planner, nor the other way round. The router (router.ts) maps the paths; the entry
 * (main.ts) starts loading the page opened at once, before the router exists. A second `import()`
 * of the same chunk is the same promise, so nothing loads twice.
 */
export const PAGES = {
  '/': () => import('./workspace/WorkspaceView.vue'),
  '/screen': () => import('./screen/ScreenView.vue'),
  '/plan': () => import('./plan/PlanView.vue'),
  '/bulletin': () => import('./bulletin/BulletinView.vue'),
  '/login': () => import('./auth/AuthSignInView.vue'),
} as const;

/** The loader of the page at `path`, or null for a path no page has (the router redirects it). */
export function pageLoader(path: string): (() => Promise<unknown>) | null {
  return Object.hasOwn(PAGES, path) ? PAGES[path as keyof typeof PAGES] : null;
}
