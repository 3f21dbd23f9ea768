//! Any bytes offered as a CSV chronology: read cleanly or refused, and the column guess and
//! the date reader take whatever the table holds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use threadline::import::{chronology::guess_mapping, table::read_table, FileFormat};

fuzz_target!(|data: &[u8]| {
    if let Ok(table) = read_table(data, "fuzz.csv", FileFormat::Csv) {
        let _ = guess_mapping(&table.headers);
        for row in table.rows.iter().take(50) {
            for cell in &row.cells {
                let _ = threadline::model::chronology::parse_loose_date(cell);
            }
        }
    }
});
