//! Test double for the shell: answers `invoke` through `@tauri-apps/api/mocks` with one handler
//! per command, records every call, and fails loudly on a command the test did not expect.
//!
//!   const calls = mockCommands({ sources: [], add_excerpt: (args) => ({ ... }) });
//!   expect(callsOf(calls, 'add_excerpt')).toEqual([{ paragraphId: 'p1', ... }]);

import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach } from 'vitest';

import { parseDateHandler } from './dates';

export type Handler = (args: Record<string, unknown>) => unknown;

/** How a test answers one command: a handler of its arguments, or the value itself. */
export type Answer = Handler | object | string | number | boolean | null;

export interface Call {
  command: string;
  args: Record<string, unknown>;
}

/** What every panel test needs: no undo history, no open review info refresh. */
export const BASE: Record<string, Handler> = {
  undo_state: () => [null, null],
  parse_date: parseDateHandler,
  current_review: () => null,
  recent_files: () => [],
  locked_review: () => null,
  profile: () => ({ name: 'Alison Greaves', role: 'author' }),
};

/**
 * Installs the handlers, each a function of the command's arguments (which may throw
 * `{ code, message }` like the shell, or answer a promise) or a plain value to answer with.
 * Answers are copied, as the real IPC copies them, so a test's fixtures are never changed by
 * the code under test. With `{ events: true }`, the shell's events are played in the page too:
 * `emit` from `@tauri-apps/api/event` reaches the window's listeners. Returns the list of calls
 * made, in order.
 */
export function mockCommands(
  handlers: Record<string, Answer>,
  options: { events?: boolean } = {},
): Call[] {
  const calls: Call[] = [];
  const all: Record<string, unknown> = { ...BASE, ...handlers };
  mockIPC(async (command, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push({ command, args });
    if (!(command in all)) throw { code: 'ipc', message: `unexpected command ${command}` };
    const handler = all[command];
    const value = typeof handler === 'function' ? await (handler as Handler)(args) : handler;
    return value === undefined ? null : structuredClone(value);
  }, { shouldMockEvents: options.events === true });
  return calls;
}

/** The calls of one command. */
export function callsOf(calls: Call[], command: string): Record<string, unknown>[] {
  return calls.filter((c) => c.command === command).map((c) => c.args);
}

afterEach(() => clearMocks());

/**
 * Plays the shell's side of a progress channel: sends `messages` in order on the `Channel`
 * a command was given (its `onProgress` argument), then closes it, as `Channel::send` does.
 */
export function sendProgress(channel: unknown, messages: unknown[]): void {
  const id = (channel as { id: number }).id;
  const run = (window as unknown as { __TAURI_INTERNALS__: { runCallback: (id: number, data: unknown) => void } })
    .__TAURI_INTERNALS__.runCallback;
  messages.forEach((message, index) => run(id, { index, message }));
  run(id, { index: messages.length, end: true });
}
