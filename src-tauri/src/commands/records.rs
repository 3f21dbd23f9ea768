//! Review details, terms of reference, people, agencies, panel members and meetings.

use tauri::{AppHandle, State};
use threadline::model::agencies::{Agency, AgencyInput};
use threadline::model::details::{Details, DetailsInput};
use threadline::model::panel::{Meeting, MeetingInput, PanelMember, PanelMemberInput};
use threadline::model::people::{Person, PersonInput};
use threadline::model::tor::{TorInput, TorItem};

use super::review_commands;
use crate::state::{IpcError, Open};

review_commands! {
    fn details() -> Details => |r| r.details();

    fn tor_items() -> Vec<TorItem> => |r| r.tor_items();
    fn tor_item(id: String) -> TorItem => |r| r.tor_item(&id);
    fn add_tor(input: TorInput) -> TorItem => |r| r.add_tor(input);
    fn update_tor(id: String, input: TorInput) -> TorItem => |r| r.update_tor(&id, input);
    fn move_tor(id: String, to: usize) -> () => |r| r.move_tor(&id, to);
    fn delete_tor(id: String, cascade: bool) -> () => |r| r.delete_tor(&id, cascade);

    fn people() -> Vec<Person> => |r| r.people();
    fn person(id: String) -> Person => |r| r.person(&id);
    fn add_person(input: PersonInput) -> Person => |r| r.add_person(input);
    fn update_person(id: String, input: PersonInput) -> Person => |r| r.update_person(&id, input);
    fn move_person(id: String, to: usize) -> () => |r| r.move_person(&id, to);
    fn delete_person(id: String, cascade: bool) -> () => |r| r.delete_person(&id, cascade);

    fn agencies() -> Vec<Agency> => |r| r.agencies();
    fn agency(id: String) -> Agency => |r| r.agency(&id);
    fn add_agency(input: AgencyInput) -> Agency => |r| r.add_agency(input);
    fn update_agency(id: String, input: AgencyInput) -> Agency => |r| r.update_agency(&id, input);
    fn move_agency(id: String, to: usize) -> () => |r| r.move_agency(&id, to);
    fn delete_agency(id: String, cascade: bool) -> () => |r| r.delete_agency(&id, cascade);

    fn panel_members() -> Vec<PanelMember> => |r| r.panel_members();
    fn panel_member(id: String) -> PanelMember => |r| r.panel_member(&id);
    fn add_panel_member(input: PanelMemberInput) -> PanelMember => |r| r.add_panel_member(input);
    fn update_panel_member(id: String, input: PanelMemberInput) -> PanelMember =>
        |r| r.update_panel_member(&id, input);
    fn move_panel_member(id: String, to: usize) -> () => |r| r.move_panel_member(&id, to);
    fn delete_panel_member(id: String, cascade: bool) -> () =>
        |r| r.delete_panel_member(&id, cascade);

    fn meetings() -> Vec<Meeting> => |r| r.meetings();
    fn meeting(id: String) -> Meeting => |r| r.meeting(&id);
    fn add_meeting(input: MeetingInput) -> Meeting => |r| r.add_meeting(input);
    fn update_meeting(id: String, input: MeetingInput) -> Meeting =>
        |r| r.update_meeting(&id, input);
    fn delete_meeting(id: String, cascade: bool) -> () => |r| r.delete_meeting(&id, cascade);
}

/// Saves the review details; the window title shows the review's title, so it follows.
#[tauri::command(async)]
pub fn update_details(
    app: AppHandle,
    open: State<'_, Open>,
    input: DetailsInput,
) -> Result<Details, IpcError> {
    let details = open.with(|r| r.update_details(input))?;
    crate::app::refresh_title(&app, &open);
    Ok(details)
}
