//! Whether the Export dialog shows (File › Export…, Ctrl+E), and the document it starts on
//! when opened from a view of that document (the Coverage tab's "Export…").

import type { ExportDoc } from '../../lib/types';

class Exporter {
  open = $state(false);
  /** The document to select when the dialog opens; taken (and cleared) by the dialog. */
  preset = $state<ExportDoc | null>(null);

  show(doc: ExportDoc | null = null): void {
    this.preset = doc;
    this.open = true;
  }
}

export const exporter = new Exporter();
