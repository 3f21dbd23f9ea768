//! Sources (IMRs and other documents), their numbered paragraphs, and excerpts of them.

use threadline::model::sources::{Excerpt, Paragraph, Source, SourceInput};

use super::review_commands;

review_commands! {
    fn sources() -> Vec<Source> => |r| r.sources();
    fn source(id: String) -> Source => |r| r.source(&id);
    fn add_source(input: SourceInput) -> Source => |r| r.add_source(input);
    /// Imports text already in the window; a file on disk goes through `import_document` (commands/import.rs).
    fn import_text(input: SourceInput, text: String) -> Source => |r| r.import_text(input, &text);
    fn update_source(id: String, input: SourceInput) -> Source => |r| r.update_source(&id, input);
    fn move_source(id: String, to: usize) -> () => |r| r.move_source(&id, to);
    fn delete_source(id: String, cascade: bool) -> () => |r| r.delete_source(&id, cascade);

    fn paragraphs(source_id: String, offset: usize, limit: usize) -> Vec<Paragraph> =>
        |r| r.paragraphs(&source_id, offset, limit);
    fn paragraph(id: String) -> Paragraph => |r| r.paragraph(&id);

    fn add_excerpt(paragraph_id: String, start: usize, end: usize, note: String) -> Excerpt =>
        |r| r.add_excerpt(&paragraph_id, start, end, &note);
    fn excerpt(id: String) -> Excerpt => |r| r.excerpt(&id);
    fn excerpts_of_source(source_id: String) -> Vec<Excerpt> =>
        |r| r.excerpts_of_source(&source_id);
    fn excerpts_of_paragraph(paragraph_id: String) -> Vec<Excerpt> =>
        |r| r.excerpts_of_paragraph(&paragraph_id);
    fn update_excerpt_note(id: String, note: String) -> Excerpt =>
        |r| r.update_excerpt_note(&id, &note);
    fn delete_excerpt(id: String, cascade: bool) -> () => |r| r.delete_excerpt(&id, cascade);
    fn excerpt_is_current(id: String) -> bool => |r| r.excerpt_is_current(&id);
}
