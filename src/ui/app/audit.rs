//! The audit browser feature (supervisors and admins): its filters, its
//! pages of entries and the store's answers.

use crate::ui::screens::audit::AuditState;

/// See the module doc.
#[derive(Default)]
pub struct AuditBrowser {
    /// The browser, once opened.
    pub state: Option<AuditState>,
}
