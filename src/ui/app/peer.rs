//! The peer page feature: one peer's page and its tabs (overview, plan,
//! timeline, wellness plan, referrals, consents, assessments), the
//! check-in list over it, and the store's answers for them. The tabs'
//! handling is in their own files (`plan.rs`, `corrections.rs`,
//! `referral.rs`, `consents.rs`, `assess.rs`).

use crate::ui::screens::peer::PeerState;
use crate::ui::screens::peer_tabs::PeerView;

/// See the module doc.
#[derive(Default)]
pub struct PeerPage {
    /// The peer open, once one was.
    pub peer: Option<PeerState>,
    /// The page's tabs and their states.
    pub view: PeerView,
}
