//! Test double for the shell: answers `invoke` through `@tauri-apps/api/mocks` with one handler
//! per command, records every call, and fails loudly on a command the test did not expect.

import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach } from 'vitest';

export type Handler = (args: Record<string, unknown>) => unknown;

export interface Call {
  command: string;
  args: Record<string, unknown>;
}

/** What every panel test needs: no undo history, no open review info refresh. */
export const BASE: Record<string, Handler> = {
  undo_state: () => [null, null],
  current_review: () => null,
  recent_files: () => [],
};

/** Installs the handlers; returns the list of calls made, in order. */
export function mockCommands(handlers: Record<string, Handler>): Call[] {
  const calls: Call[] = [];
  const all = { ...BASE, ...handlers };
  mockIPC((command, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push({ command, args });
    const handler = all[command];
    if (!handler) throw { code: 'ipc', message: `unexpected command ${command}` };
    return handler(args);
  });
  return calls;
}

/** The calls of one command. */
export function callsOf(calls: Call[], command: string): Record<string, unknown>[] {
  return calls.filter((c) => c.command === command).map((c) => c.args);
}

afterEach(() => clearMocks());
