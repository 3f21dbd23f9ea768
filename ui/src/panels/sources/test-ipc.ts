//! Test support for the review panels: routes the mocked `invoke` of `@tauri-apps/api/core` to
//! per-command handlers and records every call. Each test file mocks the module itself (vi.mock
//! is hoisted per file) and hands the mock here:
//!
//!   vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
//!   const calls = routeInvoke(invoke, { sources: [], add_excerpt: (a) => ... });

import type { Mock } from 'vitest';

export type Handler = (args: Record<string, unknown>) => unknown;

export interface Call {
  cmd: string;
  args: Record<string, unknown>;
}

/** What the frame's store asks after every edit; tests may override them. */
const BASE: Record<string, unknown> = {
  undo_state: [null, null],
  current_review: null,
  recent_files: [],
};

/**
 * Answers `invoke(cmd, args)` from `handlers` (a value, or a function of the arguments that
 * may throw `{ code, message }` like the shell). An unknown command rejects like the shell
 * would, so a test notices a call it did not expect.
 */
export function routeInvoke(invoke: unknown, handlers: Record<string, unknown>): Call[] {
  const calls: Call[] = [];
  (invoke as Mock).mockImplementation(async (cmd: string, args?: Record<string, unknown>) => {
    const a = args ?? {};
    calls.push({ cmd, args: a });
    const table = cmd in handlers ? handlers : BASE;
    if (!(cmd in table)) throw { code: 'ipc', message: `command ${cmd} not found` };
    const h = table[cmd];
    const value = typeof h === 'function' ? await (h as Handler)(a) : h;
    return value === undefined ? null : structuredClone(value);
  });
  return calls;
}

/** The calls of one command, in order. */
export function callsOf(calls: Call[], cmd: string): Record<string, unknown>[] {
  return calls.filter((c) => c.cmd === cmd).map((c) => c.args);
}
