//! The chronology: dated entries per agency, filtered for the table and the timeline.

use threadline::model::chronology::{ChronologyEntry, ChronologyFilter, ChronologyInput};

use super::review_commands;

review_commands! {
    fn chronology(filter: ChronologyFilter) -> Vec<ChronologyEntry> => |r| r.chronology(&filter);
    fn chronology_entry(id: String) -> ChronologyEntry => |r| r.chronology_entry(&id);
    fn add_chronology_entry(input: ChronologyInput) -> ChronologyEntry =>
        |r| r.add_chronology_entry(input);
    fn update_chronology_entry(id: String, input: ChronologyInput) -> ChronologyEntry =>
        |r| r.update_chronology_entry(&id, input);
    fn move_chronology_entry_within_day(id: String, to: usize) -> () =>
        |r| r.move_chronology_entry_within_day(&id, to);
    fn delete_chronology_entry(id: String, cascade: bool) -> () =>
        |r| r.delete_chronology_entry(&id, cascade);
}
