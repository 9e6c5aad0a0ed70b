/** A small history router: the server answers every non-API path with index.html. */
import { useSyncExternalStore } from 'react';
import { ENVIRONMENTS, type Environment } from './api/types.js';

const listeners = new Set<() => void>();
const subscribe = (l: () => void) => {
  listeners.add(l);
  window.addEventListener('popstate', l);
  return () => {
    listeners.delete(l);
    window.removeEventListener('popstate', l);
  };
};
const snapshot = () => window.location.pathname + window.location.search;

/**
 * Asked before every in-app navigation: true lets it happen, false cancels it. A page with unsaved work (the
 * canvas) registers one while dirty, to save first or ask.
 */
export type NavigationGuard = (to: string) => boolean | Promise<boolean>;
let guard: NavigationGuard | null = null;

/** Installs the guard; the returned function removes it (if it is still the one installed). */
export function setNavigationGuard(g: NavigationGuard): () => void {
  guard = g;
  return () => {
    if (guard === g) guard = null;
  };
}

function go(to: string, replace: boolean): void {
  if (to === snapshot()) return;
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  for (const l of listeners) l();
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  const replace = opts.replace ?? false;
  const allowed = guard ? guard(to) : true;
  if (allowed === true) go(to, replace);
  else if (allowed !== false) void allowed.then((ok) => ok && go(to, replace));
}

export type Section = 'workflows' | 'connection' | 'events' | 'executions' | 'tables' | 'settings';
const SECTIONS: readonly Section[] = ['workflows', 'connection', 'events', 'executions', 'tables', 'settings'];

export interface Route {
  env: Environment;
  section: Section;
  /** The id after the section, e.g. a workflow id or table name. */
  id: string | null;
  params: URLSearchParams;
}

/** `/{env}/{section}/{id}?…`; anything else falls back to the editor's workflows. */
export function parseRoute(url: string): Route {
  const [path = '', search = ''] = url.split('?');
  const [envPart, sectionPart, ...rest] = path.split('/').filter(Boolean);
  const env = (ENVIRONMENTS as readonly string[]).includes(envPart ?? '') ? (envPart as Environment) : 'editor';
  const section = (SECTIONS as readonly string[]).includes(sectionPart ?? '') ? (sectionPart as Section) : 'workflows';
  const id = rest.length ? decodeURIComponent(rest.join('/')) : null;
  return { env, section, id, params: new URLSearchParams(search) };
}

export function href(env: Environment, section: Section, id?: string | null, params?: Record<string, string>): string {
  const q = params && Object.keys(params).length ? `?${new URLSearchParams(params).toString()}` : '';
  return `/${env}/${section}${id ? `/${encodeURIComponent(id)}` : ''}${q}`;
}

export function useRoute(): Route {
  const url = useSyncExternalStore(subscribe, snapshot, snapshot);
  return parseRoute(url);
}
