import type { Secret, Variable } from '@switchyard/contract';
import { useEffect, useState } from 'react';
import { api } from '../api/client.js';
import type { Environment } from '../api/types.js';

/** What the editor knows of an environment's settings: secret names with their masks, never a value. */
export interface EnvironmentSettings {
  secrets: Secret[];
  vars: Variable[];
}

const EMPTY: EnvironmentSettings = { secrets: [], vars: [] };

// One load per environment for every inspector that opens; the settings page clears it when it saves.
const cache = new Map<Environment, Promise<EnvironmentSettings>>();

export function loadEnvironmentSettings(env: Environment): Promise<EnvironmentSettings> {
  let hit = cache.get(env);
  if (!hit) {
    hit = Promise.all([api.secrets(env), api.vars(env)]).then(([secrets, vars]) => ({ secrets, vars }));
    hit.catch(() => cache.delete(env));
    cache.set(env, hit);
  }
  return hit;
}

export function forgetEnvironmentSettings(env: Environment): void {
  cache.delete(env);
}

/** The environment's settings, empty until loaded or when they cannot be (completions then just lack them). */
export function useEnvironmentSettings(env: Environment): EnvironmentSettings {
  const [settings, setSettings] = useState<EnvironmentSettings>(EMPTY);
  useEffect(() => {
    let live = true;
    loadEnvironmentSettings(env).then(
      (s) => live && setSettings(s),
      () => live && setSettings(EMPTY),
    );
    return () => {
      live = false;
    };
  }, [env]);
  return settings;
}
