/** Result of the last local open (file problems to show), kept apart from the viewer store. */
import { create } from 'zustand';
import type { FileProblem } from './open-local-files';

interface OpenFilesState {
  busy: boolean;
  problems: FileProblem[];
  set(p: Partial<Pick<OpenFilesState, 'busy' | 'problems'>>): void;
}
export const useOpenFiles = create<OpenFilesState>((set) => ({
  busy: false,
  problems: [],
  set: (p) => set(p),
}));
