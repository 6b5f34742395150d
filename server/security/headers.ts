/**
 * Security headers on every response (API, web app, errors). The CSP is what the built web app
 * needs (tests/e2e/security.test.ts loads every page under it and fails on any violation):
 * data: images (the favicon, configured logos, sprites), inline styles (Vue bindings, ECharts,
 * MapLibre), and blob: workers, which MapLibre and deck.gl loaders fall back to when no worker
 * URL is set. Scripts come from the server only: no inline script, no eval.
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { SecurityDeps } from './config.ts';

/** The CSP directives, exported so tests and the README show the same policy the server sends. */
function cspDirectives(s: Pick<SecurityDeps, 'cspExtraOrigins' | 'frameAncestors'>) {
  const extra = [...s.cspExtraOrigins];
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    // Vue style bindings, ECharts and MapLibre write inline styles; scripts stay strict.
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:', ...extra],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'", 'data:', 'blob:', ...extra],
    workerSrc: ["'self'", 'blob:'],
    childSrc: ["'self'", 'blob:'],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: s.frameAncestors.length ? [...s.frameAncestors] : ["'none'"],
  };
}

/** The header middleware: CSP, nosniff, frame options, referrer policy and the rest of Hono's defaults. */
export function securityHeaders(s: SecurityDeps): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: cspDirectives(s),
    xFrameOptions: s.frameAncestors.length ? false : 'DENY',
    // Tokens never travel in URLs except the live feed's; no-referrer keeps even that one home.
    referrerPolicy: 'no-referrer',
    xContentTypeOptions: 'nosniff',
    crossOriginResourcePolicy: 'same-origin',
    crossOriginOpenerPolicy: 'same-origin',
    permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [], usb: [] },
  });
}
