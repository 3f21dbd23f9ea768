//! The chronology: dated entries per agency, filtered for the table and the timeline.

use chrono::NaiveDate;
use serde::Serialize;
use threadline::model::chronology::{
    parse_loose_date, ChronologyEntry, ChronologyFilter, ChronologyInput, DatePrecision,
};

use super::review_commands;
use crate::state::IpcError;

/// A date read from what someone typed: the day (the first of its month or year when less
/// precise) and how precisely the text gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedDate {
    pub date: NaiveDate,
    pub precision: DatePrecision,
}

/// Reads a date as authors type it, day first ("3/4/09", "3 April 2009", "2009-04-03",
/// "March 2009", "c. 2009"), with the core's reader. Needs no open review; an unreadable text
/// answers `invalid` with a message that says how to write it.
#[tauri::command]
pub fn parse_date(text: String) -> Result<ParsedDate, IpcError> {
    let (date, precision) = parse_loose_date(&text)?;
    Ok(ParsedDate { date, precision })
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_day_first_with_their_precision() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        for text in [
            "3/4/09",
            "03/04/2009",
            "3 April 2009",
            "2009-04-03",
            " Friday 3rd April 2009 ",
        ] {
            assert_eq!(
                parse_date(text.into()).unwrap(),
                ParsedDate {
                    date: day(2009, 4, 3),
                    precision: DatePrecision::Day
                },
                "{text}"
            );
        }
        assert_eq!(
            parse_date("April 2009".into()).unwrap(),
            ParsedDate {
                date: day(2009, 4, 1),
                precision: DatePrecision::Month
            }
        );
        assert_eq!(
            parse_date("c. 2009".into()).unwrap().precision,
            DatePrecision::Approximate
        );
    }

    #[test]
    fn unreadable_text_is_invalid_with_advice() {
        let err = parse_date("next Tuesday".into()).unwrap_err();
        assert_eq!(err.code, "invalid");
        assert!(err.message.contains("12/03/2021"), "{}", err.message);
        assert_eq!(parse_date("31/02/2009".into()).unwrap_err().code, "invalid");
    }
}
