//! The report's sections (overview report and executive summary) and review comments.

use threadline::model::comments::{Comment, CommentTarget, TextAnchor};
use threadline::model::sections::{Citation, Document, Section, SectionInput};
use threadline::report::{Block, RenderOptions, RenderedDocument};

use super::review_commands;

review_commands! {
    fn sections(document: Document) -> Vec<Section> => |r| r.sections(document);
    fn section(id: String) -> Section => |r| r.section(&id);
    fn add_section(input: SectionInput) -> Section => |r| r.add_section(input);
    fn update_section(id: String, input: SectionInput) -> Section =>
        |r| r.update_section(&id, input);
    fn move_section(id: String, to: usize) -> () => |r| r.move_section(&id, to);
    fn delete_section(id: String, cascade: bool) -> () => |r| r.delete_section(&id, cascade);
    /// The usual sections, added to a document that has none, as one undoable change.
    fn add_default_outline(document: Document) -> Vec<Section> =>
        |r| r.add_default_outline(document);
    /// The document rendered from the current data: live citation numbers, what each cites,
    /// live blocks filled in, and the problems an export would carry.
    fn render_document(document: Document, options: RenderOptions) -> RenderedDocument =>
        |r| r.render_document(document, &options);
    /// One live block's current content; `None` for an unknown name.
    fn live_block(name: String) -> Option<Vec<Block>> => |r| r.live_block(&name);
    /// Pairs of (section id, citation that no longer resolves).
    fn broken_citations(document: Document) -> Vec<(String, Citation)> =>
        |r| r.broken_citations(document);

    fn comment(id: String) -> Comment => |r| r.comment(&id);
    fn comments_on(target_kind: CommentTarget, target_id: String) -> Vec<Comment> =>
        |r| r.comments_on(target_kind, &target_id);
    fn open_comments() -> Vec<Comment> => |r| r.open_comments();
    fn add_comment(
        target_kind: CommentTarget,
        target_id: String,
        anchor: Option<TextAnchor>,
        body: String,
    ) -> Comment => |r| r.add_comment(target_kind, &target_id, anchor, &body);
    fn reply(parent_id: String, body: String) -> Comment => |r| r.reply(&parent_id, &body);
    fn edit_comment(id: String, body: String) -> Comment => |r| r.edit_comment(&id, &body);
    fn resolve_comment(id: String, resolved: bool) -> Comment =>
        |r| r.resolve_comment(&id, resolved);
    fn delete_comment(id: String) -> () => |r| r.delete_comment(&id);
}
