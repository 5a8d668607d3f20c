//! The retention schedule, applied by the server at start and then once a day, as
//! `redress retention run` applies it: only where the council has approved its schedule
//! (`retention/approval`), so nothing personal is erased without the council's decision.

use redress_store::{Actor, Store};

/// Runs the schedule now and every 24 hours after, on the store's clock; logs what it did.
pub async fn run_daily(store: Store) {
    loop {
        let today = store.clock().today();
        let actor = Actor::system("retention schedule");
        match store.run_retention(today, false, &actor).await {
            Ok(run) => tracing::info!(
                erased = run.erased.len(),
                held = run.held.len(),
                not_approved = run.not_approved.len(),
                "retention schedule applied where approved"
            ),
            Err(e) => tracing::error!(error = %e, "retention schedule: the run failed"),
        }
        tokio::time::sleep(std::time::Duration::from_secs(24 * 60 * 60)).await;
    }
}
