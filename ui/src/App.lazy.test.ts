// Panels are loaded the first time they are shown (panels/registry.ts). These tests replace the
// registry's loaders at the edge, to see what the window shows while a panel is on its way and
// when one cannot be loaded; App.test.ts runs the real registry.
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Component } from 'svelte';
import { review } from './lib/review.svelte';
import { mockCommands } from './test/ipc';
import { reviewInfo } from './test/review-info';

const gate = vi.hoisted(() => ({ release: (): void => {} }));

vi.mock('./panels/registry', async () => {
  const overview = await import('./panels/overview/OverviewPanel.svelte');
  const tor = await import('./panels/tor/TorPanel.svelte');
  return {
    PANEL_LOADERS: {
      overview: async () => overview,
      // Held until the test releases it.
      tor: () =>
        new Promise<{ default: Component }>((resolve) => {
          gate.release = () => resolve(tor);
        }),
      sources: () => Promise.reject(new Error('chunk SourcesPanel-x.js was not found')),
      chronology: null,
      findings: null,
      recommendations: null,
      report: null,
      review: null,
      register: null,
      checks: null,
      search: null,
    },
  };
});

const { default: App } = await import('./App.svelte');

const INFO = reviewInfo();

afterEach(() => {
  review.info = null;
  review.panel = 'overview';
});

function panelButton(name: RegExp): HTMLElement {
  return within(screen.getByRole('navigation', { name: 'Panels' })).getByRole('button', { name });
}

function start() {
  mockCommands({
    current_review: () => INFO,
    details: () => INFO.details,
    stats: () => INFO.stats,
    action_plan: () => [],
    sections: () => [],
    tor_items: () => [],
    tor_coverage: () => [],
  });
  render(App);
}

describe('App loading panels', () => {
  it('says a panel is opening until it has loaded, then shows it and keeps it', async () => {
    const user = userEvent.setup();
    start();
    expect(await screen.findByRole('heading', { level: 1, name: 'Overview' })).toBeInTheDocument();

    await user.click(panelButton(/Terms of reference/));
    expect(await screen.findByText('Opening Terms of reference…')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { level: 1, name: 'Terms of reference' })).toBeNull();

    gate.release();
    expect(await screen.findByRole('heading', { level: 1, name: 'Terms of reference' })).toBeInTheDocument();
    expect(screen.queryByText('Opening Terms of reference…')).toBeNull();

    // Back and forth again: both are kept, so neither shows the opening line.
    await user.click(panelButton(/Overview/));
    expect(screen.getByRole('heading', { level: 1, name: 'Overview' })).toBeInTheDocument();
    await user.click(panelButton(/Terms of reference/));
    expect(screen.getByRole('heading', { level: 1, name: 'Terms of reference' })).toBeInTheDocument();
  });

  it('says which panel could not be loaded and why, and leaves the rest of the window working', async () => {
    const user = userEvent.setup();
    start();
    await screen.findByRole('heading', { level: 1, name: 'Overview' });

    await user.click(panelButton(/Sources/));
    const notice = await screen.findByRole('region', { name: 'Sources & IMRs could not be opened' });
    expect(notice).toHaveTextContent('chunk SourcesPanel-x.js was not found');
    expect(notice).toHaveTextContent('your review is not affected');

    await user.click(panelButton(/Overview/));
    expect(await screen.findByRole('heading', { level: 1, name: 'Overview' })).toBeInTheDocument();
  });

  it('says a panel that is not in this build is not available', async () => {
    const user = userEvent.setup();
    start();
    await screen.findByRole('heading', { level: 1, name: 'Overview' });
    await user.click(panelButton(/Chronology/));
    expect(
      await screen.findByRole('region', { name: 'Chronology is not available' }),
    ).toBeInTheDocument();
  });
});
