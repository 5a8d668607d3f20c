//! Group commit: writes that arrive together share one transaction, and so one flush to disk.
//! Each caller is answered only once its group is committed, so nothing is acknowledged before
//! it is durable. New cases and reads of cases go this way.

use crate::backends::{postgres, sqlite};
use crate::organisation::Organisation;
use crate::records::{Actor, NewEvent};
use crate::{Db, StoreError};
use chrono::NaiveDate;
use redress_core::Case;
use std::future::Future;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// The most writes one group holds.
const GROUP_LIMIT: usize = 1000;

/// How many writes may wait for a group writer by default. Past it a caller is told the
/// server is busy (503 with Retry-After) rather than queued without end.
pub const DEFAULT_QUEUE_LIMIT: usize = 10_000;

/// Where writes wait for their group writer.
pub(crate) type Queue<J, R> = mpsc::Sender<Pending<J, R>>;

/// A write waiting for its group, and who to answer when the group is committed.
pub(crate) type Pending<J, R> = (J, oneshot::Sender<Result<R, StoreError>>);

/// Starts a task that takes every write waiting, hands them to `write_group` together and
/// answers each caller with its own result. Ends when the sender is dropped.
pub(crate) fn spawn<J, R, F, Fut>(queue_limit: usize, write_group: F) -> Queue<J, R>
where
    J: Send + 'static,
    R: Send + 'static,
    F: Fn(Vec<J>) -> Fut + Send + 'static,
    Fut: Future<Output = Vec<Result<R, StoreError>>> + Send,
{
    let (sender, mut receiver) = mpsc::channel::<Pending<J, R>>(queue_limit.max(1));
    tokio::spawn(async move {
        while let Some(first) = receiver.recv().await {
            let mut group = vec![first];
            while group.len() < GROUP_LIMIT {
                match receiver.try_recv() {
                    Ok(next) => group.push(next),
                    Err(_) => break,
                }
            }
            let (jobs, replies): (Vec<J>, Vec<_>) = group.into_iter().unzip();
            let results = write_group(jobs).await;
            for (reply, result) in replies.into_iter().zip(results) {
                let _ = reply.send(result);
            }
        }
    });
    sender
}

/// Sends a write to its group writer and waits until it is committed.
/// A full queue is refused at once (`Busy`): the caller may try again in a second.
pub(crate) async fn submit<J, R>(writer: &Queue<J, R>, job: J) -> Result<R, StoreError> {
    let stopped = || StoreError::Internal("the group writer has stopped".into());
    let (done, wait) = oneshot::channel();
    writer.try_send((job, done)).map_err(|e| match e {
        mpsc::error::TrySendError::Full(_) => StoreError::Busy { retry_after: 1 },
        mpsc::error::TrySendError::Closed(_) => stopped(),
    })?;
    wait.await.map_err(|_| stopped())?
}

/// A whole group failed to commit: every caller hears why, and none is acknowledged.
fn all_failed<R>(count: usize, error: &sqlx::Error) -> Vec<Result<R, StoreError>> {
    (0..count)
        .map(|_| {
            Err(StoreError::Internal(format!(
                "the change could not be saved: {error}"
            )))
        })
        .collect()
}

/// Runs `$body` in one write transaction on either backend and commits it; any database error
/// rolls the whole group back.
macro_rules! committed {
    ($db:expr, |$conn:ident, $ops:ident| $body:expr) => {
        async {
            match $db {
                Db::Sqlite { write, .. } => {
                    let mut transaction = write.begin().await?;
                    let out = {
                        let $conn: &mut sqlx::SqliteConnection = &mut transaction;
                        use sqlite as $ops;
                        $body
                    };
                    transaction.commit().await?;
                    Ok::<_, sqlx::Error>(out)
                }
                Db::Postgres(pool) => {
                    let mut transaction = pool.begin().await?;
                    let out = {
                        let $conn: &mut sqlx::PgConnection = &mut transaction;
                        use postgres as $ops;
                        $body
                    };
                    transaction.commit().await?;
                    Ok(out)
                }
            }
        }
        .await
    };
}

/// Writes reads of cases to the audit log.
pub(crate) fn spawn_view_writer(db: Db, queue_limit: usize) -> Queue<NewEvent, ()> {
    spawn(queue_limit, move |events: Vec<NewEvent>| {
        let db = db.clone();
        async move {
            match committed!(&db, |conn, ops| ops::insert_events(conn, &events).await?) {
                Ok(()) => (0..events.len()).map(|_| Ok(())).collect(),
                Err(e) => all_failed(events.len(), &e),
            }
        }
    })
}

/// A new case to save: numbered in its organisation's sequence unless it came with a reference.
pub(crate) struct NewCaseJob {
    pub(crate) organisation: Arc<Organisation>,
    pub(crate) case: Case,
    pub(crate) numbered: bool,
    pub(crate) due_on: Option<NaiveDate>,
    pub(crate) actor: Actor,
    /// When it was recorded, and today in London, by the store's clock.
    pub(crate) at: chrono::DateTime<chrono::Utc>,
    pub(crate) today: NaiveDate,
    /// Queue the mail a new complaint causes, telling the complainant to expect a response
    /// by this date (None: no mail, as for the demo's history).
    pub(crate) mail: Option<Option<NaiveDate>>,
}

/// Saves new cases, each in its own savepoint so that one refused case (an unknown team, a
/// reference already used) does not take the rest of its group with it. Answers each case's id.
pub(crate) fn spawn_case_writer(
    db: Db,
    master: Arc<crate::MasterKey>,
    queue_limit: usize,
) -> Queue<NewCaseJob, i64> {
    spawn(queue_limit, move |jobs: Vec<NewCaseJob>| {
        let db = db.clone();
        let master = master.clone();
        async move {
            let count = jobs.len();
            committed!(&db, |conn, ops| ops::insert_new_cases(conn, &master, jobs)
                .await?)
            .unwrap_or_else(|e| all_failed(count, &e))
        }
    })
}
