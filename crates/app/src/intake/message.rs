//! A raw RFC 5322 message read into what the intake needs: who sent it, when it reached the
//! council, its words as plain text, its files, the messages it answers, and whether a machine
//! sent it. Parsing is mail-parser's (MIME, quoted-printable, base64, charsets, HTML to text).

use chrono::{DateTime, Utc};
use mail_parser::decoders::charsets::map::charset_decoder;
use mail_parser::{Address, HeaderValue, MessageParser, MimeHeaders, PartType};
use redress_store::MailFile;
use sha2::{Digest, Sha256};

/// The largest message the intake reads. Each file a case keeps is limited on its own
/// (10 MB); this bounds the memory one message can take.
pub const MAX_MESSAGE_BYTES: usize = 50 * 1024 * 1024;

/// A person a message names: the sender, or the one a forwarded message came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correspondent {
    pub name: String,
    pub address: String,
}

/// A message, read.
#[derive(Debug, Clone)]
pub struct ParsedMail {
    /// `<id>`; for a message without one, a digest of its bytes, so a redelivery still
    /// matches.
    pub message_id: String,
    pub from: Correspondent,
    /// The person whose message this one forwards, when it forwards one.
    pub forwarded_from: Option<Correspondent>,
    pub subject: String,
    pub text: String,
    /// When the council's server took it in: the topmost `Received` header's date, else
    /// `Date`, else `None`.
    pub arrived_at: Option<DateTime<Utc>>,
    /// The Message-IDs it answers (`In-Reply-To`, then `References`), each as `<id>`.
    pub answers: Vec<String>,
    /// Why a machine sent it (an autoreply, a bounce, a list), if one did.
    pub automatic: Option<String>,
    pub files: Vec<MailFile>,
}

/// Why a message could not be read; the reason is shown to the council as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unreadable(pub String);

/// Reads a raw message.
pub fn parse(raw: &[u8]) -> Result<ParsedMail, Unreadable> {
    if raw.len() > MAX_MESSAGE_BYTES {
        return Err(Unreadable(format!(
            "the message is {} MB, more than the {} MB read",
            raw.len() / 1024 / 1024,
            MAX_MESSAGE_BYTES / 1024 / 1024
        )));
    }
    let message = MessageParser::default()
        .parse(raw)
        .filter(|m| !m.headers().is_empty())
        .ok_or_else(|| Unreadable("it is not an email message: it has no headers".into()))?;
    readable_throughout(&message, raw)?;
    let from = message
        .from()
        .and_then(correspondent)
        .ok_or_else(|| Unreadable("it has no sender address (From)".into()))?;
    let message_id = match message
        .message_id()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        Some(id) => bracketed(id),
        None => {
            let digest: String = Sha256::digest(raw)
                .iter()
                .take(16)
                .map(|b| format!("{b:02x}"))
                .collect();
            format!("<{digest}@no-message-id.redress>")
        }
    };
    let arrived_at = message
        .received_all()
        .find_map(|r| r.date())
        .or_else(|| message.date().cloned())
        .and_then(|d| DateTime::<Utc>::from_timestamp(d.to_timestamp(), 0));
    let mut answers = ids(message.in_reply_to());
    answers.extend(ids(message.references()));
    let text = message
        .body_text(0)
        .map(|t| t.trim().to_string())
        .unwrap_or_default();
    let forwarded_from = message
        .attachments()
        .find_map(|part| match &part.body {
            PartType::Message(inner) => inner.from().and_then(correspondent),
            _ => None,
        })
        .or_else(|| forwarded_in_text(&text));
    let files = message
        .attachments()
        .filter_map(|part| {
            let content = match &part.body {
                PartType::Binary(bytes) | PartType::InlineBinary(bytes) => bytes.to_vec(),
                _ => return None,
            };
            let name = part
                .attachment_name()
                .map(str::to_string)
                .unwrap_or_else(|| "attachment".into());
            Some(MailFile { name, content })
        })
        .collect();
    Ok(ParsedMail {
        message_id,
        automatic: automatic(&message),
        from,
        forwarded_from,
        subject: message.subject().unwrap_or_default().trim().to_string(),
        text,
        arrived_at,
        answers,
        files,
    })
}

/// Refuses a message whose words could be read wrongly: one cut short (a multipart part whose
/// closing boundary never comes, as when a transfer is truncated), or text in a charset that
/// cannot be decoded. Better a person reads it in the Failed folder than a case says something
/// the complainant did not write.
fn readable_throughout(message: &mail_parser::Message<'_>, raw: &[u8]) -> Result<(), Unreadable> {
    for part in &message.parts {
        let Some(content_type) = part.content_type() else {
            continue;
        };
        if content_type.ctype().eq_ignore_ascii_case("multipart") {
            if let Some(boundary) = content_type.attribute("boundary") {
                let end = format!("--{boundary}--");
                if !raw.windows(end.len()).any(|w| w == end.as_bytes()) {
                    return Err(Unreadable(format!(
                        "the message is cut short: its part with boundary \"{boundary}\" never ends (the mail may have been truncated)"
                    )));
                }
            }
        }
        if part.is_text() {
            if let Some(charset) = content_type.attribute("charset") {
                let utf8 = ["utf-8", "utf8"]
                    .iter()
                    .any(|u| charset.eq_ignore_ascii_case(u));
                if !utf8 && charset_decoder(charset.as_bytes()).is_none() {
                    return Err(Unreadable(format!(
                        "its text is in the charset \"{charset}\", which cannot be read"
                    )));
                }
            }
        }
    }
    Ok(())
}

fn correspondent(address: &Address<'_>) -> Option<Correspondent> {
    let first = address.first()?;
    let email = first.address()?.trim();
    email.contains('@').then(|| Correspondent {
        name: first.name().unwrap_or_default().trim().to_string(),
        address: email.to_string(),
    })
}

fn bracketed(id: &str) -> String {
    format!("<{}>", id.trim_matches(|c| c == '<' || c == '>'))
}

fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(id) => vec![bracketed(id)],
        HeaderValue::TextList(list) => list.iter().map(|id| bracketed(id)).collect(),
        _ => Vec::new(),
    }
}

/// Why a machine sent the message: RFC 3834's `Auto-Submitted`, the `Precedence` lists and
/// autoresponders set, list headers (RFC 2369, 2919), a null return path (RFC 5321 §4.5.5:
/// a bounce) or a delivery report (RFC 6522). Such a message gets no case and no reply, so
/// two systems never answer each other for ever.
fn automatic(message: &mail_parser::Message<'_>) -> Option<String> {
    let raw = |name: &'static str| message.header_raw(name).map(str::trim);
    if let Some(value) = raw("Auto-Submitted").filter(|v| !v.eq_ignore_ascii_case("no")) {
        return Some(format!("Auto-Submitted: {value}"));
    }
    if let Some(value) = raw("Precedence").filter(|v| {
        ["bulk", "list", "junk", "auto_reply"]
            .iter()
            .any(|p| v.eq_ignore_ascii_case(p))
    }) {
        return Some(format!("Precedence: {value}"));
    }
    for header in [
        "X-Autoreply",
        "X-Autorespond",
        "List-Id",
        "List-Unsubscribe",
    ] {
        if raw(header).is_some() {
            return Some(format!("it carries {header}"));
        }
    }
    if raw("Return-Path").is_some_and(|v| v == "<>") {
        return Some("a null return path (a bounce)".into());
    }
    if message.content_type().is_some_and(|c| {
        c.ctype().eq_ignore_ascii_case("multipart") && c.subtype() == Some("report")
    }) {
        return Some("a delivery report".into());
    }
    None
}

/// The sender of a message forwarded inline: the first `From:` line after a forwarding
/// marker, as Outlook and Gmail write them.
fn forwarded_in_text(text: &str) -> Option<Correspondent> {
    let marker = text
        .find("Forwarded message")
        .or_else(|| text.find("Original Message"))?;
    let line = text[marker..]
        .lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("From:"))?;
    let header = format!("From: {line}\r\n\r\n");
    let parsed = MessageParser::default().parse_headers(header.as_bytes())?;
    parsed.from().and_then(correspondent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(headers: &str, body: &str) -> Vec<u8> {
        format!("{headers}\r\n\r\n{body}")
            .replace("\n", "\r\n")
            .replace("\r\r", "\r")
            .into_bytes()
    }

    #[test]
    fn a_plain_message_gives_its_sender_words_and_arrival() {
        let raw = mail(
            "Received: from mx.example by mail.council.example; Tue, 3 Nov 2026 23:30:00 +0000\n\
             Received: from laptop by mx.example; Tue, 3 Nov 2026 23:29:00 +0000\n\
             From: Ann Smith <ann@example.org>\nTo: complaints@council.example\n\
             Subject: My son's care plan\nDate: Tue, 3 Nov 2026 20:00:00 +0000\n\
             Message-ID: <abc@example.org>",
            "Nobody has called back.",
        );
        let parsed = parse(&raw).unwrap();
        assert_eq!(parsed.from.address, "ann@example.org");
        assert_eq!(parsed.from.name, "Ann Smith");
        assert_eq!(parsed.message_id, "<abc@example.org>");
        assert_eq!(parsed.subject, "My son's care plan");
        assert_eq!(parsed.text, "Nobody has called back.");
        // The council's own server's stamp, not the sender's Date.
        assert_eq!(
            parsed.arrived_at.unwrap().to_rfc3339(),
            "2026-11-03T23:30:00+00:00"
        );
        assert!(parsed.automatic.is_none());
    }

    #[test]
    fn html_only_mail_becomes_text_without_scripts_or_styles() {
        let raw = mail(
            "From: b@example.org\nSubject: x\nContent-Type: text/html; charset=iso-8859-1\n\
             Content-Transfer-Encoding: quoted-printable",
            "<html><style>p{color:red}</style><script>alert(1)</script><p>Caf=E9 closed</p></html>",
        );
        let parsed = parse(&raw).unwrap();
        assert!(parsed.text.contains("Café closed"), "{}", parsed.text);
        assert!(!parsed.text.contains("alert"), "{}", parsed.text);
        assert!(!parsed.text.contains("color"), "{}", parsed.text);
    }

    #[test]
    fn machines_are_recognised() {
        for header in [
            "Auto-Submitted: auto-replied",
            "Precedence: bulk",
            "List-Id: <news.example.org>",
            "Return-Path: <>",
        ] {
            let raw = mail(
                &format!("From: a@example.org\nSubject: Out of office\n{header}"),
                "Away",
            );
            assert!(parse(&raw).unwrap().automatic.is_some(), "{header}");
        }
        let raw = mail("From: a@example.org\nAuto-Submitted: no", "A person");
        assert!(parse(&raw).unwrap().automatic.is_none());
    }

    #[test]
    fn replies_name_what_they_answer() {
        let raw = mail(
            "From: a@example.org\nIn-Reply-To: <1@redress>\nReferences: <0@x> <1@redress>",
            "Thanks",
        );
        assert_eq!(
            parse(&raw).unwrap().answers,
            ["<1@redress>", "<0@x>", "<1@redress>"]
        );
    }

    #[test]
    fn an_inline_forward_names_the_original_sender() {
        let raw = mail(
            "From: officer@council.example\nSubject: Fwd: complaint",
            "FYI\n\n---------- Forwarded message ---------\nFrom: Carl Jones <carl@example.net>\nDate: Mon\n\nMy complaint",
        );
        let forwarded = parse(&raw).unwrap().forwarded_from.unwrap();
        assert_eq!(forwarded.address, "carl@example.net");
        assert_eq!(forwarded.name, "Carl Jones");
    }

    #[test]
    fn truncated_mime_and_unknown_charsets_are_refused() {
        let cut = mail(
            "From: a@example.org\nContent-Type: multipart/mixed; boundary=\"B\"",
            "--B\nContent-Type: text/plain\n\npart one",
        );
        assert!(parse(&cut).unwrap_err().0.contains("cut short"));
        let whole = mail(
            "From: a@example.org\nContent-Type: multipart/mixed; boundary=\"B\"",
            "--B\nContent-Type: text/plain\n\npart one\n--B--\n",
        );
        assert!(parse(&whole).is_ok());
        let unknown = mail(
            "From: a@example.org\nContent-Type: text/plain; charset=x-no-such",
            "\u{e9}",
        );
        assert!(parse(&unknown).unwrap_err().0.contains("x-no-such"));
        let windows = mail(
            "From: a@example.org\nContent-Type: text/plain; charset=windows-1252",
            "ok",
        );
        assert!(parse(&windows).is_ok());
    }

    #[test]
    fn unreadable_messages_say_why() {
        assert!(parse(b"").unwrap_err().0.contains("no headers"));
        assert!(parse(&mail("Subject: no sender", "x"))
            .unwrap_err()
            .0
            .contains("From"));
        let missing_id = mail("From: a@example.org", "same bytes");
        assert_eq!(
            parse(&missing_id).unwrap().message_id,
            parse(&missing_id).unwrap().message_id
        );
    }
}
