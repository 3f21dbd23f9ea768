//! The pseudonym register, agencies and the review panel: create, read, update, reorder,
//! delete with its guards and cascades, validation that changes nothing, and undo.
//!
//! Records owned by other modules (sources, chronology entries, recommendations, comments) are
//! made through their own public calls, so these tests see the file only as the app does.

use chrono::NaiveDate;
use threadline::model::agencies::{Agency, AgencyInput};
use threadline::model::chronology::{ChronologyFilter, ChronologyInput};
use threadline::model::comments::CommentTarget;
use threadline::model::panel::{MeetingInput, PanelMemberInput};
use threadline::model::people::{Person, PersonCategory, PersonInput};
use threadline::model::recommendations::{Origin, RecommendationInput};
use threadline::model::sources::{SourceInput, SourceKind};
use threadline::{Error, Table};

use crate::common::{fresh, Fixture};

// ---------------------------------------------------------------- fixtures

fn person(real_name: &str, pseudonym: &str) -> PersonInput {
    PersonInput {
        category: PersonCategory::Person,
        real_name: real_name.into(),
        aliases: Vec::new(),
        pseudonym: pseudonym.into(),
        role: String::new(),
        relation: String::new(),
        safe_to_name: false,
    }
}

fn agency(name: &str) -> AgencyInput {
    AgencyInput {
        name: name.into(),
        short_name: String::new(),
        sector: String::new(),
    }
}

fn member(name: &str) -> PanelMemberInput {
    PanelMemberInput {
        name: name.into(),
        role: String::new(),
        organisation: String::new(),
    }
}

fn meeting(date: &str, title: &str, attendees: &[&str]) -> MeetingInput {
    MeetingInput {
        date: day(date),
        title: title.into(),
        attendees: attendees.iter().map(|s| s.to_string()).collect(),
        decisions: String::new(),
    }
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Adds a home visit to the chronology, recorded against `agency` and involving `people`;
/// returns its id.
fn add_chronology(f: &mut Fixture, agency: Option<&str>, people: &[&str]) -> String {
    let mut input = ChronologyInput::new(day("2020-05-01"), "Home visit");
    input.agency_id = agency.map(str::to_owned);
    input.people = people.iter().map(|p| p.to_string()).collect();
    f.review.add_chronology_entry(input).unwrap().id
}

/// The people a chronology entry involves, as stored.
fn chronology_people(f: &Fixture, id: &str) -> Vec<String> {
    f.review.chronology_entry(id).unwrap().people
}

/// The agency a chronology entry is recorded against.
fn chronology_agency(f: &Fixture, id: &str) -> Option<String> {
    f.review.chronology_entry(id).unwrap().agency_id
}

/// Adds an IMR supplied by `agency`; returns its id.
fn add_source(f: &mut Fixture, agency: &str) -> String {
    f.review
        .add_source(SourceInput {
            kind: SourceKind::Imr,
            agency_id: Some(agency.into()),
            title: "IMR".into(),
            ..SourceInput::default()
        })
        .unwrap()
        .id
}

/// Adds a recommendation from `origin`'s IMR addressed to `addressee`; returns its id.
fn add_recommendation(f: &mut Fixture, origin: &str, addressee: &str) -> String {
    f.review
        .add_recommendation(RecommendationInput {
            origin: Origin::AgencyImr,
            origin_agency_id: Some(origin.into()),
            addressee_agency_id: Some(addressee.into()),
            text: "Review the referral pathway".into(),
            ..RecommendationInput::default()
        })
        .unwrap()
        .id
}

/// The origin and addressee agencies of a recommendation.
fn recommendation_agencies(f: &Fixture, id: &str) -> (Option<String>, Option<String>) {
    let r = f.review.recommendation(id).unwrap();
    (r.origin_agency_id, r.addressee_agency_id)
}

/// Comments on a record (as the chair would make them); returns the comment's id.
fn add_comment(f: &mut Fixture, kind: CommentTarget, target: &str) -> String {
    f.review
        .add_comment(kind, target, None, "Check this")
        .unwrap()
        .id
}

/// How many comments the whole review holds, on any record, replies included.
fn comment_count(f: &Fixture) -> i64 {
    f.review.stats().unwrap().rows(Table::Comment)
}

fn names(people: &[Person]) -> Vec<&str> {
    people.iter().map(|p| p.real_name.as_str()).collect()
}

fn agency_names(agencies: &[Agency]) -> Vec<&str> {
    agencies.iter().map(|a| a.name.as_str()).collect()
}

// ---------------------------------------------------------------- people

#[test]
fn adding_a_person_tidies_names_and_drops_blank_and_repeated_aliases() {
    let mut f = fresh();
    let p = f
        .review
        .add_person(PersonInput {
            category: PersonCategory::Person,
            real_name: "  Jane Smith ".into(),
            aliases: vec![
                " Mum ".into(),
                "".into(),
                "   ".into(),
                "mum".into(),
                "Janey".into(),
                "jane smith".into(),
            ],
            pseudonym: " Mother ".into(),
            role: " parent ".into(),
            relation: "mother of Child S".into(),
            safe_to_name: false,
        })
        .unwrap();
    assert_eq!(p.real_name, "Jane Smith");
    assert_eq!(p.aliases, ["Mum", "Janey"]);
    assert_eq!(p.pseudonym, "Mother");
    assert_eq!(p.role, "parent");
    assert_eq!(p.relation, "mother of Child S");
    assert_eq!(p.category, PersonCategory::Person);
    assert_eq!(f.review.person(&p.id).unwrap(), p);
    assert_eq!(f.review.people().unwrap(), vec![p]);
}

#[test]
fn people_keep_the_order_they_were_added_in_and_can_be_moved() {
    let mut f = fresh();
    let a = f.review.add_person(person("Alice", "A")).unwrap();
    let b = f.review.add_person(person("Bob", "B")).unwrap();
    let c = f.review.add_person(person("Carol", "C")).unwrap();
    assert_eq!(
        names(&f.review.people().unwrap()),
        ["Alice", "Bob", "Carol"]
    );
    f.review.move_person(&c.id, 0).unwrap();
    assert_eq!(
        names(&f.review.people().unwrap()),
        ["Carol", "Alice", "Bob"]
    );
    f.review.move_person(&c.id, 99).unwrap();
    assert_eq!(
        names(&f.review.people().unwrap()),
        ["Alice", "Bob", "Carol"]
    );
    f.review.move_person(&a.id, 1).unwrap();
    assert_eq!(
        names(&f.review.people().unwrap()),
        ["Bob", "Alice", "Carol"]
    );
    f.review.undo().unwrap();
    assert_eq!(f.review.people().unwrap(), vec![a, b, c]);
}

#[test]
fn moving_or_fetching_an_unknown_person_is_not_found() {
    let mut f = fresh();
    f.review.add_person(person("Alice", "A")).unwrap();
    let err = f.review.person("nope").unwrap_err();
    assert!(
        matches!(err, Error::NotFound { kind: "person", .. }),
        "{err}"
    );
    let err = f.review.move_person("nope", 0).unwrap_err();
    assert_eq!(err.code(), "not_found");
    let err = f
        .review
        .update_person("nope", person("X", "Y"))
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert!(err.to_string().contains("nope"), "{err}");
    let err = f.review.delete_person("nope", true).unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert_eq!(names(&f.review.people().unwrap()), ["Alice"]);
}

#[test]
fn a_person_needs_a_real_name_and_a_refused_add_changes_nothing() {
    let mut f = fresh();
    f.review.add_person(person("Alice", "A")).unwrap();
    let before = f.review.people().unwrap();
    let log_before = f.review.audit_log(50).unwrap().len();
    let err = f.review.add_person(person("   ", "Z")).unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert!(
        matches!(&err, Error::Invalid { field, .. } if field == "real_name"),
        "{err}"
    );
    assert_eq!(f.review.people().unwrap(), before);
    assert_eq!(f.review.audit_log(50).unwrap().len(), log_before);
}

#[test]
fn a_pseudonym_may_not_be_another_entrys_real_name_whatever_the_case() {
    let mut f = fresh();
    f.review
        .add_person(person("Sarah Jones", "Mother"))
        .unwrap();
    let before = f.review.people().unwrap();
    let err = f
        .review
        .add_person(person("Tom Jones", "sarah JONES"))
        .unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { field, .. } if field == "pseudonym"),
        "{err}"
    );
    assert!(err.to_string().contains("real name"), "{err}");
    assert_eq!(f.review.people().unwrap(), before);
}

#[test]
fn a_pseudonym_may_not_be_another_entrys_alias() {
    let mut f = fresh();
    let mut sarah = person("Sarah Jones", "Mother");
    sarah.aliases = vec!["Sal".into()];
    f.review.add_person(sarah).unwrap();
    let before = f.review.people().unwrap();
    let err = f.review.add_person(person("Tom Jones", "SAL")).unwrap_err();
    assert!(err.to_string().contains("alias"), "{err}");
    assert_eq!(f.review.people().unwrap(), before);
}

#[test]
fn a_pseudonym_may_stand_for_one_entry_only() {
    let mut f = fresh();
    f.review
        .add_person(person("Sarah Jones", "Mother"))
        .unwrap();
    let tom = f.review.add_person(person("Tom Jones", "Father")).unwrap();
    let before = f.review.people().unwrap();
    let err = f
        .review
        .update_person(&tom.id, person("Tom Jones", " mother "))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "pseudonym: 'mother' is already the pseudonym of Sarah Jones; each pseudonym must stand for one entry"
    );
    assert_eq!(f.review.people().unwrap(), before);
}

#[test]
fn a_real_name_or_alias_may_not_be_another_entrys_pseudonym() {
    let mut f = fresh();
    f.review
        .add_person(person("Sarah Jones", "Mother"))
        .unwrap();
    let err = f.review.add_person(person("mother", "M2")).unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { field, .. } if field == "real_name"),
        "{err}"
    );
    let mut tom = person("Tom Jones", "Father");
    tom.aliases = vec!["MOTHER".into()];
    let err = f.review.add_person(tom).unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { field, .. } if field == "aliases"),
        "{err}"
    );
    assert_eq!(names(&f.review.people().unwrap()), ["Sarah Jones"]);
}

#[test]
fn an_entry_may_keep_its_own_pseudonym_when_edited() {
    let mut f = fresh();
    let p = f
        .review
        .add_person(person("Sarah Jones", "Mother"))
        .unwrap();
    let mut edit = PersonInput::from(p.clone());
    edit.role = "parent".into();
    edit.pseudonym = "MOTHER".into();
    let updated = f.review.update_person(&p.id, edit).unwrap();
    assert_eq!(updated.pseudonym, "MOTHER");
    assert_eq!(updated.role, "parent");
}

#[test]
fn a_pseudonym_that_is_the_entrys_own_name_is_refused_unless_safe_to_name() {
    let mut f = fresh();
    let mut p = person("Sarah Jones", "sarah jones");
    let err = f.review.add_person(p.clone()).unwrap_err();
    assert!(err.to_string().contains("own name"), "{err}");
    p.aliases = vec!["Sal".into()];
    p.pseudonym = "sal".into();
    assert!(f.review.add_person(p.clone()).is_err());
    assert!(f.review.people().unwrap().is_empty());
    p.safe_to_name = true;
    f.review.add_person(p).unwrap();
}

#[test]
fn entries_not_safe_to_name_without_a_pseudonym_are_listed_until_given_one() {
    let mut f = fresh();
    let child = f.review.add_person(person("Sam Smith", "")).unwrap();
    f.review.add_person(person("Jane Smith", "Mother")).unwrap();
    let mut school = person("Hillside Primary", "");
    school.category = PersonCategory::Organisation;
    school.safe_to_name = true;
    let school = f.review.add_person(school).unwrap();
    let mut town = person("Northtown", "");
    town.category = PersonCategory::Place;
    let town = f.review.add_person(town).unwrap();

    let missing = f.review.people_missing_pseudonym().unwrap();
    assert_eq!(names(&missing), ["Sam Smith", "Northtown"]);
    assert_eq!(child.published_name(), None);
    assert_eq!(
        child.publication_problem().unwrap(),
        "Sam Smith is not safe to name and needs a pseudonym before it can be used in a published text"
    );
    assert_eq!(school.published_name(), Some("Hillside Primary"));
    assert!(school.publication_problem().is_none());

    let mut named = PersonInput::from(child.clone());
    named.pseudonym = "Child S".into();
    let child = f.review.update_person(&child.id, named).unwrap();
    assert_eq!(child.published_name(), Some("Child S"));
    assert_eq!(
        f.review.people_missing_pseudonym().unwrap(),
        vec![town.clone()]
    );
    assert_eq!(town.category, PersonCategory::Place);
}

#[test]
fn undo_takes_back_an_added_person_and_redo_restores_it() {
    let mut f = fresh();
    let p = f
        .review
        .add_person(person("Sarah Jones", "Mother"))
        .unwrap();
    assert_eq!(f.review.undo().unwrap(), "Add to pseudonym register");
    assert!(f.review.people().unwrap().is_empty());
    f.review.redo().unwrap();
    assert_eq!(f.review.people().unwrap(), vec![p]);
}

#[test]
fn undo_takes_back_an_edit_to_a_person() {
    let mut f = fresh();
    let p = f
        .review
        .add_person(person("Sarah Jones", "Mother"))
        .unwrap();
    let mut edit = PersonInput::from(p.clone());
    edit.pseudonym = "Adult A".into();
    edit.aliases = vec!["Sal".into()];
    edit.safe_to_name = true;
    let edited = f.review.update_person(&p.id, edit).unwrap();
    assert_eq!(edited.aliases, ["Sal"]);
    assert!(edited.safe_to_name);
    f.review.undo().unwrap();
    assert_eq!(f.review.person(&p.id).unwrap(), p);
    f.review.redo().unwrap();
    assert_eq!(f.review.person(&p.id).unwrap(), edited);
}

#[test]
fn deleting_a_person_that_chronology_entries_involve_is_refused_and_changes_nothing() {
    let mut f = fresh();
    let sarah = f
        .review
        .add_person(person("Sarah Jones", "Mother"))
        .unwrap();
    let tom = f.review.add_person(person("Tom Jones", "Father")).unwrap();
    let c1 = add_chronology(&mut f, None, &[&sarah.id, &tom.id]);
    add_chronology(&mut f, None, &[&sarah.id]);
    add_chronology(&mut f, None, &[&tom.id]);
    let before = f.review.people().unwrap();
    let log_before = f.review.audit_log(50).unwrap().len();

    let err = f.review.delete_person(&sarah.id, false).unwrap_err();
    assert_eq!(err.code(), "in_use");
    assert_eq!(
        err.to_string(),
        "cannot delete Sarah Jones: 2 chronology entries involve this person"
    );
    let err = f.review.delete_person(&tom.id, false).unwrap_err();
    assert!(
        err.to_string().contains("2 chronology entries involve"),
        "{err}"
    );
    assert_eq!(f.review.people().unwrap(), before);
    assert_eq!(f.review.audit_log(50).unwrap().len(), log_before);
    assert_eq!(
        chronology_people(&f, &c1),
        [sarah.id.as_str(), tom.id.as_str()]
    );
}

#[test]
fn one_chronology_entry_is_named_in_the_singular() {
    let mut f = fresh();
    let sarah = f
        .review
        .add_person(person("Sarah Jones", "Mother"))
        .unwrap();
    add_chronology(&mut f, None, &[&sarah.id]);
    let err = f.review.delete_person(&sarah.id, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot delete Sarah Jones: 1 chronology entry involves this person"
    );
}

#[test]
fn deleting_an_unused_person_closes_the_gap_in_the_order() {
    let mut f = fresh();
    f.review.add_person(person("Alice", "A")).unwrap();
    let b = f.review.add_person(person("Bob", "B")).unwrap();
    f.review.add_person(person("Carol", "C")).unwrap();
    f.review.delete_person(&b.id, false).unwrap();
    f.review.add_person(person("Dan", "D")).unwrap();
    assert_eq!(
        names(&f.review.people().unwrap()),
        ["Alice", "Carol", "Dan"]
    );
    let err = f.review.person(&b.id).unwrap_err();
    assert_eq!(err.code(), "not_found");
}

#[test]
fn a_cascading_person_delete_takes_them_out_of_chronology_and_undo_puts_them_back() {
    let mut f = fresh();
    let sarah = f
        .review
        .add_person(person("Sarah Jones", "Mother"))
        .unwrap();
    let tom = f.review.add_person(person("Tom Jones", "Father")).unwrap();
    let c1 = add_chronology(&mut f, None, &[&tom.id, &sarah.id]);
    let c2 = add_chronology(&mut f, None, &[&sarah.id]);
    let c3 = add_chronology(&mut f, None, &[&tom.id]);
    let k1 = add_comment(&mut f, CommentTarget::Person, &sarah.id);
    let before = f.review.people().unwrap();

    f.review.delete_person(&sarah.id, true).unwrap();
    assert_eq!(names(&f.review.people().unwrap()), ["Tom Jones"]);
    assert_eq!(chronology_people(&f, &c1), [tom.id.as_str()]);
    assert!(chronology_people(&f, &c2).is_empty());
    assert_eq!(chronology_people(&f, &c3), [tom.id.as_str()]);
    assert_eq!(comment_count(&f), 0);

    f.review.undo().unwrap();
    assert_eq!(f.review.people().unwrap(), before);
    assert_eq!(
        chronology_people(&f, &c1),
        [tom.id.as_str(), sarah.id.as_str()]
    );
    assert_eq!(chronology_people(&f, &c2), [sarah.id.as_str()]);
    assert_eq!(comment_count(&f), 1);
    assert_eq!(
        f.review
            .comments_on(CommentTarget::Person, &sarah.id)
            .unwrap()[0]
            .id,
        k1
    );

    f.review.redo().unwrap();
    assert_eq!(names(&f.review.people().unwrap()), ["Tom Jones"]);
    assert!(chronology_people(&f, &c2).is_empty());
    assert_eq!(comment_count(&f), 0);
}

#[test]
fn a_comment_on_a_person_guards_the_delete_too() {
    let mut f = fresh();
    let sarah = f
        .review
        .add_person(person("Sarah Jones", "Mother"))
        .unwrap();
    add_comment(&mut f, CommentTarget::Person, &sarah.id);
    let err = f.review.delete_person(&sarah.id, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot delete Sarah Jones: 1 comment is on this person"
    );
}

#[test]
fn person_categories_read_and_write_as_lowercase_text() {
    assert_eq!(PersonCategory::Organisation.as_str(), "organisation");
    assert_eq!(
        "place".parse::<PersonCategory>().unwrap(),
        PersonCategory::Place
    );
    assert!("street".parse::<PersonCategory>().is_err());
    let json = serde_json::to_string(&PersonCategory::Person).unwrap();
    assert_eq!(json, "\"person\"");
    let input: PersonInput =
        serde_json::from_str(r#"{"category":"organisation","real_name":"Hillside"}"#).unwrap();
    assert_eq!(input.category, PersonCategory::Organisation);
    assert!(input.aliases.is_empty() && !input.safe_to_name);
}

// ---------------------------------------------------------------- agencies

#[test]
fn agencies_are_added_trimmed_in_order_and_can_be_moved() {
    let mut f = fresh();
    let police = f
        .review
        .add_agency(AgencyInput {
            name: " Northshire Police ".into(),
            short_name: " Police ".into(),
            sector: " police ".into(),
        })
        .unwrap();
    assert_eq!(police.name, "Northshire Police");
    assert_eq!(police.short_name, "Police");
    assert_eq!(police.sector, "police");
    assert_eq!(f.review.agency(&police.id).unwrap(), police);
    let gp = f.review.add_agency(agency("Riverside GP")).unwrap();
    let school = f.review.add_agency(agency("Hillside Primary")).unwrap();
    f.review.move_agency(&school.id, 0).unwrap();
    assert_eq!(
        agency_names(&f.review.agencies().unwrap()),
        ["Hillside Primary", "Northshire Police", "Riverside GP"]
    );
    f.review.undo().unwrap();
    assert_eq!(f.review.agencies().unwrap(), vec![police, gp, school]);
    assert_eq!(
        f.review.move_agency("nope", 0).unwrap_err().code(),
        "not_found"
    );
}

#[test]
fn an_agency_needs_a_name() {
    let mut f = fresh();
    let err = f.review.add_agency(agency("  ")).unwrap_err();
    assert_eq!(err.to_string(), "name: must not be empty");
    assert!(f.review.agencies().unwrap().is_empty());
    assert!(f.review.audit_log(10).unwrap().is_empty());
}

#[test]
fn agency_names_are_unique_whatever_the_case_and_a_clash_changes_nothing() {
    let mut f = fresh();
    let police = f.review.add_agency(agency("Northshire Police")).unwrap();
    let gp = f.review.add_agency(agency("Riverside GP")).unwrap();
    let before = f.review.agencies().unwrap();

    let err = f
        .review
        .add_agency(agency(" northshire POLICE "))
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert_eq!(
        err.to_string(),
        "name: an agency called 'Northshire Police' already exists; agency names must be unique"
    );
    let err = f
        .review
        .update_agency(&gp.id, agency("NORTHSHIRE police"))
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert_eq!(f.review.agencies().unwrap(), before);

    // Renaming an agency to a new spelling of its own name is fine.
    let renamed = f
        .review
        .update_agency(&police.id, agency("NORTHSHIRE Police"))
        .unwrap();
    assert_eq!(renamed.name, "NORTHSHIRE Police");
}

#[test]
fn undo_takes_back_an_added_agency_and_an_edited_one() {
    let mut f = fresh();
    let police = f.review.add_agency(agency("Northshire Police")).unwrap();
    let gp = f.review.add_agency(agency("Riverside GP")).unwrap();
    f.review
        .update_agency(
            &police.id,
            AgencyInput {
                name: "Northshire Constabulary".into(),
                short_name: "Police".into(),
                sector: "police".into(),
            },
        )
        .unwrap();
    assert_eq!(f.review.undo().unwrap(), "Edit agency");
    assert_eq!(f.review.agency(&police.id).unwrap(), police);
    assert_eq!(f.review.undo().unwrap(), "Add agency");
    assert_eq!(f.review.agencies().unwrap(), vec![police.clone()]);
    f.review.redo().unwrap();
    assert_eq!(f.review.agencies().unwrap(), vec![police, gp]);
}

#[test]
fn deleting_an_agency_that_others_point_at_is_refused_with_what_points_at_it() {
    let mut f = fresh();
    let police = f.review.add_agency(agency("Northshire Police")).unwrap();
    let other = f.review.add_agency(agency("Riverside GP")).unwrap();
    add_source(&mut f, &police.id);
    add_source(&mut f, &police.id);
    for _ in 0..5 {
        add_chronology(&mut f, Some(&police.id), &[]);
    }
    add_chronology(&mut f, Some(&other.id), &[]);
    add_recommendation(&mut f, &police.id, &other.id);
    let before = f.review.agencies().unwrap();
    let log_before = f.review.audit_log(50).unwrap().len();

    let err = f.review.delete_agency(&police.id, false).unwrap_err();
    assert_eq!(err.code(), "in_use");
    assert_eq!(
        err.to_string(),
        "cannot delete Northshire Police: 2 sources belong to this agency; \
         5 chronology entries are recorded against this agency; \
         1 recommendation names this agency"
    );
    assert_eq!(f.review.agencies().unwrap(), before);
    assert_eq!(f.review.audit_log(50).unwrap().len(), log_before);

    let err = f.review.delete_agency(&other.id, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot delete Riverside GP: 1 chronology entry is recorded against this agency; \
         1 recommendation names this agency"
    );
}

#[test]
fn a_cascading_agency_delete_keeps_the_records_without_an_agency_and_undo_restores_them() {
    let mut f = fresh();
    let police = f.review.add_agency(agency("Northshire Police")).unwrap();
    let gp = f.review.add_agency(agency("Riverside GP")).unwrap();
    let school = f.review.add_agency(agency("Hillside Primary")).unwrap();
    let s1 = add_source(&mut f, &police.id);
    let c1 = add_chronology(&mut f, Some(&police.id), &[]);
    let c2 = add_chronology(&mut f, Some(&gp.id), &[]);
    let r1 = add_recommendation(&mut f, &police.id, &police.id);
    let r2 = add_recommendation(&mut f, &gp.id, &police.id);
    let k1 = add_comment(&mut f, CommentTarget::Agency, &police.id);

    f.review.delete_agency(&police.id, true).unwrap();
    assert_eq!(
        agency_names(&f.review.agencies().unwrap()),
        ["Riverside GP", "Hillside Primary"]
    );
    let source_agency = |f: &Fixture, id: &str| f.review.source(id).unwrap().agency_id;
    assert_eq!(source_agency(&f, &s1), None);
    assert_eq!(chronology_agency(&f, &c1), None);
    assert_eq!(chronology_agency(&f, &c2), Some(gp.id.clone()));
    assert_eq!(recommendation_agencies(&f, &r1), (None, None));
    assert_eq!(
        recommendation_agencies(&f, &r2),
        (Some(gp.id.clone()), None)
    );
    let kept = f.review.sources().unwrap().len()
        + f.review
            .chronology(&ChronologyFilter::default())
            .unwrap()
            .len()
        + f.review.recommendations().unwrap().len();
    assert_eq!(kept, 5, "records are kept, only the reference goes");
    assert_eq!(
        comment_count(&f),
        0,
        "the comment on the agency goes with it"
    );

    f.review.undo().unwrap();
    assert_eq!(
        f.review.agencies().unwrap(),
        vec![police.clone(), gp.clone(), school]
    );
    assert_eq!(source_agency(&f, &s1), Some(police.id.clone()));
    assert_eq!(chronology_agency(&f, &c1), Some(police.id.clone()));
    assert_eq!(
        recommendation_agencies(&f, &r1),
        (Some(police.id.clone()), Some(police.id.clone()))
    );
    assert_eq!(
        recommendation_agencies(&f, &r2),
        (Some(gp.id.clone()), Some(police.id.clone()))
    );
    assert_eq!(comment_count(&f), 1);
    assert_eq!(
        f.review
            .comments_on(CommentTarget::Agency, &police.id)
            .unwrap()[0]
            .id,
        k1
    );
}

#[test]
fn deleting_an_unused_agency_closes_the_gap_in_the_order() {
    let mut f = fresh();
    f.review.add_agency(agency("A")).unwrap();
    let b = f.review.add_agency(agency("B")).unwrap();
    f.review.add_agency(agency("C")).unwrap();
    f.review.delete_agency(&b.id, false).unwrap();
    f.review.add_agency(agency("D")).unwrap();
    assert_eq!(agency_names(&f.review.agencies().unwrap()), ["A", "C", "D"]);
    // The deleted name is free again.
    f.review.add_agency(agency("b")).unwrap();
    assert_eq!(
        f.review.delete_agency("nope", false).unwrap_err().code(),
        "not_found"
    );
}

// ---------------------------------------------------------------- panel

#[test]
fn panel_members_are_added_edited_moved_and_deleted() {
    let mut f = fresh();
    let chair = f
        .review
        .add_panel_member(PanelMemberInput {
            name: " Ann Lee ".into(),
            role: " Independent chair ".into(),
            organisation: "".into(),
        })
        .unwrap();
    assert_eq!(chair.name, "Ann Lee");
    assert_eq!(chair.role, "Independent chair");
    let nurse = f.review.add_panel_member(member("Ben Ray")).unwrap();
    let officer = f.review.add_panel_member(member("Cal Fox")).unwrap();
    f.review.move_panel_member(&officer.id, 0).unwrap();
    let order: Vec<String> = f
        .review
        .panel_members()
        .unwrap()
        .into_iter()
        .map(|m| m.name)
        .collect();
    assert_eq!(order, ["Cal Fox", "Ann Lee", "Ben Ray"]);

    let edited = f
        .review
        .update_panel_member(
            &nurse.id,
            PanelMemberInput {
                name: "Ben Ray".into(),
                role: "Designated nurse".into(),
                organisation: "Integrated Care Board".into(),
            },
        )
        .unwrap();
    assert_eq!(f.review.panel_member(&nurse.id).unwrap(), edited);

    f.review.delete_panel_member(&chair.id, false).unwrap();
    assert_eq!(
        f.review.panel_members().unwrap(),
        vec![officer.clone(), edited]
    );
    assert_eq!(
        f.review.panel_member(&chair.id).unwrap_err().code(),
        "not_found"
    );
    f.review.undo().unwrap();
    assert_eq!(f.review.panel_members().unwrap()[1], chair);
}

#[test]
fn a_panel_member_needs_a_name() {
    let mut f = fresh();
    let m = f.review.add_panel_member(member("Ann Lee")).unwrap();
    let err = f.review.add_panel_member(member(" ")).unwrap_err();
    assert_eq!(err.to_string(), "name: must not be empty");
    let err = f.review.update_panel_member(&m.id, member("")).unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert_eq!(f.review.panel_members().unwrap(), vec![m]);
}

#[test]
fn meetings_come_back_in_date_order_with_attendees_listed_once() {
    let mut f = fresh();
    let ann = f.review.add_panel_member(member("Ann Lee")).unwrap();
    let ben = f.review.add_panel_member(member("Ben Ray")).unwrap();
    let second = f
        .review
        .add_meeting(meeting(
            "2026-04-10",
            " Second panel ",
            &[&ben.id, &ann.id, &ben.id],
        ))
        .unwrap();
    assert_eq!(second.title, "Second panel");
    assert_eq!(second.attendees, [ben.id.clone(), ann.id.clone()]);
    let first = f
        .review
        .add_meeting(meeting("2026-02-01", "First panel", &[&ann.id]))
        .unwrap();
    assert_eq!(first.date, day("2026-02-01"));
    assert_eq!(
        f.review.meetings().unwrap(),
        vec![first.clone(), second.clone()]
    );

    let mut edit = MeetingInput::from(first.clone());
    edit.date = day("2026-05-01");
    edit.decisions = "Agreed the scope".into();
    edit.attendees.push(ben.id.clone());
    let moved = f.review.update_meeting(&first.id, edit).unwrap();
    assert_eq!(moved.decisions, "Agreed the scope");
    assert_eq!(moved.attendees, [ann.id.clone(), ben.id.clone()]);
    assert_eq!(f.review.meetings().unwrap(), vec![second, moved]);
    f.review.undo().unwrap();
    assert_eq!(f.review.meeting(&first.id).unwrap(), first);
}

#[test]
fn a_meeting_with_an_unknown_attendee_is_refused_naming_the_id() {
    let mut f = fresh();
    let ann = f.review.add_panel_member(member("Ann Lee")).unwrap();
    let m = f
        .review
        .add_meeting(meeting("2026-02-01", "First panel", &[&ann.id]))
        .unwrap();
    let err = f
        .review
        .add_meeting(meeting("2026-03-01", "Second", &[&ann.id, "ghost-id"]))
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert!(err.to_string().contains("ghost-id"), "{err}");
    let err = f
        .review
        .update_meeting(&m.id, meeting("2026-02-01", "First", &["ghost-id"]))
        .unwrap_err();
    assert!(err.to_string().contains("ghost-id"), "{err}");
    assert_eq!(f.review.meetings().unwrap(), vec![m]);
    let err = f
        .review
        .update_meeting("nope", meeting("2026-02-01", "x", &[]))
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
}

#[test]
fn deleting_a_panel_member_who_attended_meetings_is_refused() {
    let mut f = fresh();
    let ann = f.review.add_panel_member(member("Ann Lee")).unwrap();
    let ben = f.review.add_panel_member(member("Ben Ray")).unwrap();
    for d in ["2026-01-01", "2026-02-01", "2026-03-01"] {
        f.review
            .add_meeting(meeting(d, "Panel", &[&ann.id, &ben.id]))
            .unwrap();
    }
    f.review
        .add_meeting(meeting("2026-04-01", "Panel", &[&ben.id]))
        .unwrap();
    let before = f.review.meetings().unwrap();
    let err = f.review.delete_panel_member(&ann.id, false).unwrap_err();
    assert_eq!(err.code(), "in_use");
    assert_eq!(
        err.to_string(),
        "cannot delete panel member Ann Lee: 3 meetings list this panel member as attending"
    );
    add_comment(&mut f, CommentTarget::PanelMember, &ben.id);
    let err = f.review.delete_panel_member(&ben.id, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot delete panel member Ben Ray: 4 meetings list this panel member as attending; \
         1 comment is on this panel member"
    );
    assert_eq!(f.review.meetings().unwrap(), before);
    assert_eq!(f.review.panel_members().unwrap().len(), 2);
}

#[test]
fn a_cascading_panel_member_delete_takes_them_off_meetings_and_undo_puts_them_back() {
    let mut f = fresh();
    let ann = f.review.add_panel_member(member("Ann Lee")).unwrap();
    let ben = f.review.add_panel_member(member("Ben Ray")).unwrap();
    let m1 = f
        .review
        .add_meeting(meeting("2026-01-01", "Panel", &[&ben.id, &ann.id]))
        .unwrap();
    let m2 = f
        .review
        .add_meeting(meeting("2026-02-01", "Panel", &[&ben.id]))
        .unwrap();
    f.review.delete_panel_member(&ann.id, true).unwrap();
    assert_eq!(f.review.panel_members().unwrap(), vec![ben.clone()]);
    assert_eq!(
        f.review.meeting(&m1.id).unwrap().attendees,
        [ben.id.as_str()]
    );
    assert_eq!(f.review.meeting(&m2.id).unwrap(), m2);
    f.review.undo().unwrap();
    assert_eq!(f.review.panel_members().unwrap(), vec![ann, ben]);
    assert_eq!(f.review.meetings().unwrap(), vec![m1, m2]);
}

#[test]
fn meetings_can_be_deleted_and_the_delete_undone() {
    let mut f = fresh();
    let m1 = f
        .review
        .add_meeting(meeting("2026-01-01", "First", &[]))
        .unwrap();
    let m2 = f
        .review
        .add_meeting(meeting("2026-02-01", "Second", &[]))
        .unwrap();
    add_comment(&mut f, CommentTarget::Meeting, &m1.id);
    let err = f.review.delete_meeting(&m1.id, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot delete the meeting of 2026-01-01: 1 comment is on this meeting"
    );
    f.review.delete_meeting(&m2.id, false).unwrap();
    f.review.delete_meeting(&m1.id, true).unwrap();
    assert!(f.review.meetings().unwrap().is_empty());
    assert_eq!(comment_count(&f), 0);
    f.review.undo().unwrap();
    f.review.undo().unwrap();
    assert_eq!(f.review.meetings().unwrap(), vec![m1.clone(), m2]);
    assert_eq!(
        f.review
            .comments_on(CommentTarget::Meeting, &m1.id)
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        f.review.delete_meeting("nope", true).unwrap_err().code(),
        "not_found"
    );
}

#[test]
fn deleting_an_entry_keeps_its_real_name_out_of_the_undo_label() {
    let mut f = fresh();
    let named = f
        .review
        .add_person(person("Laura Smith", "Child S"))
        .unwrap();
    let unnamed = f.review.add_person(person("Kelly Brown", "")).unwrap();
    f.review.delete_person(&named.id, false).unwrap();
    assert_eq!(
        f.review.undo().unwrap(),
        "Delete Child S from the pseudonym register"
    );
    f.review.delete_person(&unnamed.id, false).unwrap();
    let label = f.review.undo().unwrap();
    assert_eq!(label, "Delete an entry from the pseudonym register");
    assert!(!label.contains("Kelly"));
}
