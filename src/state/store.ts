import { create } from 'zustand';
import type { BackendAttempt } from '../core/backend';

export type BackendStatus =
  | { state: 'starting' }
  | { state: 'ready'; name: string; skipped: BackendAttempt[]; tfVersion: string }
  | { state: 'failed'; message: string };

interface AppState {
  backend: BackendStatus;
  setBackend: (b: BackendStatus) => void;
}

export const useStore = create<AppState>((set) => ({
  backend: { state: 'starting' },
  setBackend: (backend) => set({ backend }),
}));
