//! Publication: pseudonyms in text, the register's names that cannot be substituted, the leak
//! gate's hits for an export (without writing it), name suggestions from the sources, and
//! compaction (which removes old names from the file and seals the undo history).

use threadline::export::ExportRequest;
use threadline::publication::gate::LeakHit;
use threadline::publication::suggest::NameSuggestion;
use threadline::publication::{Substituted, Unsubstituted};
use threadline::review::CompactReport;

use super::review_commands;

review_commands! {
    /// `text` as it would be published, with each substitution.
    fn publish_text(text: String) -> Substituted => |r| r.publish_text(&text);
    /// Registered names left as they are in publication (no pseudonym, or shared).
    fn unsubstituted_names() -> Vec<Unsubstituted> => |r| r.unsubstituted_names();
    /// Everything the leak gate finds in the publication version of `request`; writes nothing.
    fn publication_hits(request: ExportRequest) -> Vec<LeakHit> =>
        |r| threadline::export::publication_hits(r, &request);
    /// Capitalised names that recur in the sources and are not in the register.
    fn name_suggestions() -> Vec<NameSuggestion> => |r| r.name_suggestions();
    fn dismiss_name_suggestion(name: String) -> () => |r| r.dismiss_name_suggestion(&name);
    fn restore_name_suggestion(name: String) -> () => |r| r.restore_name_suggestion(&name);
    /// Removes old names from the file and its WAL; undo history before this is gone.
    fn compact() -> CompactReport => |r| r.compact();
}
