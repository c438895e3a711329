// The board model held outside React, so it lives on while ink is unmounted for an attach and events keep arriving.
import { boardReducer, type BoardAction, type BoardState } from './model.js';

export class BoardStore {
  private listeners = new Set<() => void>();

  constructor(private state: BoardState) {}

  getState = (): BoardState => this.state;

  dispatch = (action: BoardAction): void => {
    const next = boardReducer(this.state, action);
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  };

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}
