//! The checks the passphrase dialogs make before asking the shell, and the words for a
//! snapshot's reason. The core has the last word on a passphrase (`Passphrase::new` refuses an
//! empty one); its refusal is shown in the dialog like any other error.

/** What is wrong with a new passphrase and its confirmation, or `null` when they will do. */
export function newPassphraseProblem(passphrase: string, confirm: string): string | null {
  if (passphrase === '') return 'Enter a passphrase.';
  if (confirm === '') return 'Enter the passphrase a second time to confirm it.';
  if (passphrase !== confirm) return 'The two passphrases are not the same. Type them again.';
  return null;
}

/** Why a snapshot was taken, as a person would say it ("import" → "Before an import"). */
export function snapshotReason(reason: string): string {
  switch (reason) {
    case 'timer':
      return 'Every 10 minutes of editing';
    case 'import':
      return 'Before an import';
    case 'before-restore':
      return 'Before a restore';
    case 'manual':
      return 'Backed up by hand';
    case 'draft':
    case 'issue-draft':
      return 'Draft issued';
    default: {
      const words = reason.replace(/-+/g, ' ').trim();
      return words ? words[0].toUpperCase() + words.slice(1) : 'Backup';
    }
  }
}

/** "2026-03-01T09:00:00Z" → "1 Mar 2026, 09:00" in the computer's own time zone. */
export function snapshotTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return at.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}
