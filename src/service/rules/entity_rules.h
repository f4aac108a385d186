// Rules of individual entities (see service/rules.h for when they run).
#pragma once

#include "service/rules.h"

namespace keel::service::rules {

// Contacts and leads: a person needs a first or last name; `name` is derived for display and
// sorting ("王 小明" -> "王小明"; "Ada Lovelace" stays spaced).
void person_before_save(RuleContext& rc);
// Leads: status defaults to new; only conversion makes a lead "converted", and it stays so.
void lead_status_rules(RuleContext& rc);

// Pipelines: stages are validated in domain/validate; removing a stage that deals still use is
// refused (409 stage_in_use), as is deleting a pipeline with open deals; require_lost_reason is
// false unless set.
void pipeline_before_save(RuleContext& rc);
void pipeline_before_delete(store::Tx& tx, const Context& ctx, const boost::json::object& record);

// Deals: default pipeline and first stage when none is given; the stage must belong to the
// pipeline; status, probability and closed_at follow the stage. On a pipeline with
// require_lost_reason, a deal entering a lost stage (or one in a lost stage whose reason is
// cleared) without a lost_reason is a field error (lost_reason, required); deals already lost
// before the setting was turned on stay editable. Every stage change (and the
// first stage) is recorded in deal_stage_history with time and user.
void deal_before_save(RuleContext& rc);
void deal_after_save(RuleContext& rc);
// A deal restored from the trash needs a live pipeline (409 pipeline_in_trash otherwise); if its
// stage was removed meanwhile it comes back in the pipeline's first stage, recorded in the
// stage history like any move.
void deal_before_restore(RuleContext& rc);

// Orders: line items take name and price from the product when not given; the total is the
// exact sum of quantity x unit price in minor units (overflow is an error, never a wrap).
void order_before_save(RuleContext& rc);

// Activities: one logged without occurred_at happened when it was logged (created_at), so lists
// sorted by when activities happened have no gaps.
void activity_before_save(RuleContext& rc);

// Tasks: status defaults to open; completed_at is set when done; the related record must exist
// and be visible.
void task_before_save(RuleContext& rc);

}  // namespace keel::service::rules
