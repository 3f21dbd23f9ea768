//! Recommendations, the findings they answer, their actions with progress updates, and the
//! action plan.

use chrono::NaiveDate;
use threadline::model::recommendations::{
    Action, ActionInput, ActionUpdate, PlanItem, Recommendation, RecommendationInput,
};

use super::review_commands;

review_commands! {
    fn recommendations() -> Vec<Recommendation> => |r| r.recommendations();
    fn recommendation(id: String) -> Recommendation => |r| r.recommendation(&id);
    fn add_recommendation(input: RecommendationInput) -> Recommendation =>
        |r| r.add_recommendation(input);
    fn update_recommendation(id: String, input: RecommendationInput) -> Recommendation =>
        |r| r.update_recommendation(&id, input);
    fn move_recommendation(id: String, to: usize) -> () => |r| r.move_recommendation(&id, to);
    fn delete_recommendation(id: String, cascade: bool) -> () =>
        |r| r.delete_recommendation(&id, cascade);
    fn set_recommendation_findings(id: String, finding_ids: Vec<String>) -> Recommendation =>
        |r| r.set_recommendation_findings(&id, &finding_ids);
    fn link_finding(recommendation_id: String, finding_id: String) -> () =>
        |r| r.link_finding(&recommendation_id, &finding_id);
    fn unlink_finding(recommendation_id: String, finding_id: String) -> () =>
        |r| r.unlink_finding(&recommendation_id, &finding_id);

    fn action(id: String) -> Action => |r| r.action(&id);
    fn add_action(recommendation_id: String, input: ActionInput) -> Action =>
        |r| r.add_action(&recommendation_id, input);
    fn update_action(id: String, input: ActionInput) -> Action => |r| r.update_action(&id, input);
    fn move_action(id: String, to: usize) -> () => |r| r.move_action(&id, to);
    fn delete_action(id: String, cascade: bool) -> () => |r| r.delete_action(&id, cascade);
    fn add_action_update(action_id: String, date: NaiveDate, text: String) -> ActionUpdate =>
        |r| r.add_action_update(&action_id, date, &text);
    fn delete_action_update(id: String) -> () => |r| r.delete_action_update(&id);

    fn action_plan() -> Vec<PlanItem> => |r| r.action_plan();
}
