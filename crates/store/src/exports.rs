//! Many cases read whole: an organisation's export, and the cases a report's period needs.

use crate::backends::{postgres, sqlite};
use crate::*;

impl Store {
    /// Every case of an organisation, in the order they were stored, a thousand at a time.
    pub async fn export_cases(&self, slug: &str) -> Result<Vec<Case>, StoreError> {
        let organisation = self.organisation(slug).await?;
        let mut cases = Vec::new();
        let mut after = 0;
        loop {
            let page = read!(self, |conn, ops| {
                let ids = ops::case_ids(conn, organisation.id, after, 1000).await?;
                match ids.last() {
                    None => Vec::new(),
                    Some(upto) => {
                        let selection = ops::Selection::IdRange {
                            organisation_id: organisation.id,
                            after,
                            upto: *upto,
                        };
                        ops::load_cases(conn, &selection, true).await?
                    }
                }
            });
            let Some(last) = page.last() else { break };
            after = last.id;
            cases.extend(page.into_iter().map(|loaded| loaded.case));
        }
        Ok(cases)
    }

    /// Every case a report on `from` to `to` needs, without personal details: those received in it, and those
    /// received since `lookback` with a stage started or an ombudsman decision made in it.
    pub async fn cases_active_between(
        &self,
        slug: &str,
        lookback: NaiveDate,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Case>, StoreError> {
        let organisation = self.organisation(slug).await?;
        let organisation_id = organisation.id;
        let loaded = read!(self, |conn, ops| {
            let selection = ops::Selection::ActiveBetween {
                organisation_id,
                lookback,
                from,
                to,
            };
            ops::load_cases(conn, &selection, false).await?
        });
        Ok(loaded.into_iter().map(|l| l.case).collect())
    }
}
