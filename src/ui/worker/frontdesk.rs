//! The front desk's store work for the UI: the "here now" list and the
//! pending intakes, through `ops::visit` (what `caseload visit` uses).

use chrono::NaiveDate;

use crate::model::visit::HereNowRow;
use crate::model::{Intake, Record};
use crate::store::Store;

/// What the "here now" pane shows.
#[derive(Debug, Clone, PartialEq)]
pub struct HereNowAnswer {
    /// Today's visitors, by time in.
    pub rows: Vec<HereNowRow>,
    /// Intakes left at the kiosk, oldest first.
    pub intakes: Vec<Record<Intake>>,
}

/// Reads the list for `date`.
pub fn here_now(store: &dyn Store, date: NaiveDate) -> Result<HereNowAnswer, String> {
    let rows = crate::ops::visit::here_now_rows(store, date).map_err(|e| e.to_string())?;
    let intakes = store.pending_intakes().map_err(|e| e.to_string())?;
    Ok(HereNowAnswer { rows, intakes })
}
