//! Store work for the Reports screen: the service report for a period and
//! optionally one staff member, built by `ops::report::build` (the same
//! code as `caseload report`) through the store the worker was given, so
//! the authorizing layer checks the role and audits the reads.

use crate::model::report::{Period, ServiceReport};
use crate::model::StaffId;
use crate::ops::OpsError;
use crate::store::Store;
use crate::ui::worker::Failure;

/// Builds the report for `period`, limited to `staff` when given. A staff
/// member no longer on the list is refused by name of their id, never
/// silently widened to everyone.
pub fn report(
    store: &dyn Store,
    period: Period,
    staff: Option<StaffId>,
) -> Result<ServiceReport, Failure> {
    let who = match staff {
        None => None,
        Some(id) => {
            let list = store.list_staff().map_err(OpsError::from)?;
            match list.into_iter().find(|s| s.id == id) {
                Some(s) => Some(s),
                None => {
                    return Err(OpsError::Refused(format!(
                        "no staff member {id}: reload the staff list"
                    ))
                    .into())
                }
            }
        }
    };
    Ok(crate::ops::report::build(store, period, who.as_ref())?)
}
