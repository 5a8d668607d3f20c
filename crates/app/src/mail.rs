//! Sending the outbox through the council's SMTP relay. A worker claims one due message at a
//! time (committed before the server is spoken to), sends it with its own Message-ID and marks
//! it sent with the server's reply; a refusal is retried with exponential backoff, and a
//! permanent one (5xx) or the last attempt marks it failed. Delivery is at most once: see
//! `redress_store::outbox` for why a crash between sending and marking is not resent unasked.

use lettre::message::{header::ContentType, Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use redress_store::{Access, OutboxMessage, Store, StoreError};
use std::time::Duration;

/// How a message's state reads on the outbox page and in the API.
pub fn describe(m: &OutboxMessage, mail_configured: bool) -> String {
    use redress_core::MessageStatus as S;
    match m.status {
        S::Queued if !mail_configured => "not sent: no mail server configured".into(),
        S::Queued if m.attempts > 0 => format!("waiting to try again (tried {} times)", m.attempts),
        S::Queued => "queued".into(),
        S::Sending => "sending".into(),
        S::Sent => "sent".into(),
        S::Failed => "failed".into(),
        S::NotSent => "not sent: no one to send it to".into(),
    }
}

/// The body with each case path (" /cases/12") made a whole address on `site`.
fn absolute_links(body: &str, site: Option<&str>) -> String {
    match site {
        Some(site) => body.replace(
            " /cases/",
            &format!(" {}/cases/", site.trim_end_matches('/')),
        ),
        None => body.to_string(),
    }
}

/// `text` with every email address in it replaced by `[address]`.
pub(crate) fn redact_addresses(text: &str) -> String {
    let local = |c: char| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c);
    let domain = |c: char| c.is_alphanumeric() || ".-".contains(c);
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let (mut i, mut last_end) = (0, 0);
    while i < chars.len() {
        if chars[i] == '@' {
            let start = chars[..i]
                .iter()
                .rposition(|c| !local(*c))
                .map_or(0, |p| p + 1)
                .max(last_end);
            let end = chars[i + 1..]
                .iter()
                .position(|c| !domain(*c))
                .map_or(chars.len(), |p| i + 1 + p);
            if start < i && end > i + 1 {
                // The local part is already in `out`: take it back.
                let taken: usize = chars[start..i].iter().map(|c| c.len_utf8()).sum();
                out.truncate(out.len() - taken);
                out.push_str("[address]");
                (i, last_end) = (end, end);
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Where and how mail goes.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The wait after the first refusal; each further one doubles it.
    pub retry_base: Duration,
    /// Tries before a message is marked failed.
    pub max_attempts: i64,
    /// How often the worker looks for due messages.
    pub poll: Duration,
    /// The address staff reach Redress at (`https://complaints.council.gov.uk`): messages
    /// link to a case by its path, made whole here.
    pub site: Option<String>,
}

/// A configuration that cannot be used, naming the setting.
#[derive(Debug, thiserror::Error)]
pub enum MailConfigError {
    #[error("--smtp-url: {0}")]
    Url(String),
    #[error("--mail-from: '{0}' is not an email address")]
    From(String),
}

impl Mailer {
    /// `smtp://user:pass@host:port` (STARTTLS when the server offers it), `smtps://...` (TLS
    /// from the start), or with `?tls=required`; and the From address.
    pub fn new(smtp_url: &str, from: &str) -> Result<Mailer, MailConfigError> {
        let mut url = smtp_url.trim().to_string();
        // lettre's plain smtp:// never upgrades; a relay that offers STARTTLS should get it.
        if url.starts_with("smtp://") && !url.contains("tls=") {
            url.push_str(if url.contains('?') { "&" } else { "?" });
            url.push_str("tls=opportunistic");
        }
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
            .map_err(|e| MailConfigError::Url(e.to_string()))?
            .timeout(Some(Duration::from_secs(60)))
            .build();
        let from: Mailbox = from
            .parse()
            .map_err(|_| MailConfigError::From(from.to_string()))?;
        Ok(Mailer {
            transport,
            from,
            retry_base: Duration::from_secs(60),
            max_attempts: 8,
            poll: Duration::from_secs(5),
            site: None,
        })
    }

    /// The message as sent: its text, with the case's file attached when it names one.
    fn message(
        &self,
        m: &OutboxMessage,
        file: Option<(String, String, Vec<u8>)>,
    ) -> Result<Message, String> {
        let to: Mailbox = m.recipient.as_deref().unwrap_or("").parse().map_err(|_| {
            format!(
                "'{}' is not an email address",
                m.recipient.as_deref().unwrap_or("")
            )
        })?;
        let builder = Message::builder()
            .message_id(Some(m.message_id.clone()))
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone());
        let text = absolute_links(&m.body, self.site.as_deref());
        match file {
            None => builder.header(ContentType::TEXT_PLAIN).body(text),
            Some((name, content_type, content)) => {
                let kind = ContentType::parse(&content_type).map_err(|e| e.to_string())?;
                builder.multipart(
                    MultiPart::mixed()
                        .singlepart(SinglePart::plain(text))
                        .singlepart(Attachment::new(name).body(content, kind)),
                )
            }
        }
        .map_err(|e| e.to_string())
    }

    /// Sends one claimed message and marks it.
    async fn deliver(&self, store: &Store, m: OutboxMessage) -> Result<(), StoreError> {
        let file = match (m.case_id, m.attachment_id) {
            (Some(case_id), Some(id)) => {
                match store.attachment(&Access::System, case_id, id).await {
                    Ok((info, content)) => Some((info.name, info.content_type, content)),
                    Err(e) => {
                        let why = format!("its attached file cannot be read: {e}");
                        return store.mark_refused(m.id, &why, None).await;
                    }
                }
            }
            _ => None,
        };
        let message = match self.message(&m, file) {
            Ok(message) => message,
            Err(why) => return store.mark_refused(m.id, &why, None).await,
        };
        match self.transport.send(message).await {
            Ok(response) => {
                let reply = redact_addresses(&format!(
                    "{} {}",
                    response.code(),
                    response.message().collect::<Vec<_>>().join(" ")
                ));
                tracing::info!(message = m.id, %reply, "mail sent");
                store.mark_sent(m.id, &reply).await
            }
            Err(e) => {
                // The server's text often quotes the recipient: kept out of the log (issue 23).
                let reply = redact_addresses(&e.to_string());
                let retry = !e.is_permanent() && m.attempts < self.max_attempts;
                let retry_at = retry.then(|| {
                    let factor = 1u32 << (m.attempts - 1).clamp(0, 16);
                    let wait = self
                        .retry_base
                        .saturating_mul(factor)
                        .min(Duration::from_secs(6 * 3600));
                    store.clock().now() + chrono::Duration::from_std(wait).unwrap_or_default()
                });
                tracing::warn!(message = m.id, %reply, retry = retry, "mail refused");
                store.mark_refused(m.id, &reply, retry_at).await
            }
        }
    }

    /// Sends every message due now, one at a time; answers how many it tried.
    pub async fn send_due(&self, store: &Store) -> Result<usize, StoreError> {
        let mut tried = 0;
        while let Some(m) = store.claim_message().await? {
            self.deliver(store, m).await?;
            tried += 1;
        }
        Ok(tried)
    }

    /// The worker: marks what a stopped sender left half-sent, then sends what is due, for ever.
    pub async fn run(self, store: Store) {
        loop {
            let cutoff = store.clock().now() - chrono::Duration::minutes(10);
            if let Err(e) = store.fail_interrupted(cutoff).await {
                tracing::error!(error = %e, "outbox: marking interrupted messages");
            }
            if let Err(e) = self.send_due(&store).await {
                tracing::error!(error = %e, "outbox: sending");
            }
            tokio::time::sleep(self.poll).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::redact_addresses;

    #[test]
    fn addresses_in_a_server_reply_are_redacted() {
        assert_eq!(
            redact_addresses("550 5.1.1 <zq.falstaff+x@mail.example.org>: user unknown"),
            "550 5.1.1 <[address]>: user unknown"
        );
        assert_eq!(
            redact_addresses("to a@b.c and é@d.e, not @ or x@"),
            "to [address] and [address], not @ or x@"
        );
    }
}
