import { createContext, type ReactNode, useContext, useState } from 'react';
import { useStore } from 'zustand';
import { type CanvasInit, type CanvasStoreApi, createCanvasStore } from './createCanvasStore.js';
import type { CanvasStore } from './types.js';

const StoreContext = createContext<CanvasStoreApi | null>(null);

/** Creates the store of one open workflow for the canvas below it; a remount (another workflow or run) starts afresh. */
export function CanvasStoreProvider({ init, children }: { init: CanvasInit; children: ReactNode }) {
  const [store] = useState(() => createCanvasStore(init));
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useCanvasStoreApi(): CanvasStoreApi {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useCanvasStore needs a CanvasStoreProvider above it');
  return store;
}

export function useCanvasStore<T>(selector: (s: CanvasStore) => T): T {
  return useStore(useCanvasStoreApi(), selector);
}
