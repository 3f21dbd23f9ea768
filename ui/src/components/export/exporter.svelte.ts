//! Whether the Export dialog shows (File › Export…, Ctrl+E).

class Exporter {
  open = $state(false);

  show(): void {
    this.open = true;
  }
}

export const exporter = new Exporter();
