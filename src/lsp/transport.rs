//! The stdio transport: frames (`Content-Length` headers, then a JSON-RPC body) read from stdin
//! on one thread and written to stdout on another, bridged to the loop through an in-memory
//! [`Connection`].
//!
//! Unlike `lsp_server::Connection::stdio`, a garbled frame does not end the session, and every
//! request gets an answer. A missing or absurd `Content-Length`, an endless header line or
//! invalid UTF-8 in a header is logged to stderr and skipped, and reading goes on with the next
//! frame. A body that is not JSON is answered with a "parse error" (id `null`), and JSON that is
//! not a valid message with an "invalid request" error (its id, or `null`), as JSON-RPC asks; a
//! malformed response from the client is only logged. A request whose id `lsp_server` cannot
//! hold (a number outside `i32`, `null`) reaches the loop under a stand-in id and is answered
//! with its own ([`RequestIds`]); a `$/cancelRequest` that names it is passed on naming the
//! stand-in, or dropped once it is answered. A byte order mark before a body is skipped, and a
//! lone UTF-16 surrogate escape (half an emoji, as JavaScript clients may send) reads as U+FFFD
//! rather than losing the whole message.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::thread;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use super::request_ids::RequestIds;

/// The largest message body read, in bytes (a policy file may be 64 MiB; JSON escapes grow it).
const MAX_BODY_BYTES: usize = 512 << 20;

/// The longest header line kept whole; of a longer one only the end is kept (where a header
/// glued to the rest of a body of another length than said starts again).
const MAX_HEADER_LINE: usize = 64 << 10;

/// The end of an overlong header line that is kept.
const KEPT_LINE_END: usize = 1024;

/// The header that gives a body's length, in lower case.
const CONTENT_LENGTH: &str = "content-length:";

/// The notification that cancels a request.
const CANCEL_REQUEST: &str = "$/cancelRequest";

/// The output thread behind [`stdio`].
pub(crate) struct Transport {
    writer: thread::JoinHandle<()>,
}

impl Transport {
    /// Waits until every message the server sent has been written.
    pub(crate) fn join(self) {
        if self.writer.join().is_err() {
            say!("rampart lsp: the output thread panicked");
        }
    }
}

/// A connection over stdin and stdout.
pub(crate) fn stdio() -> (Connection, Transport) {
    let (server, client) = Connection::memory();
    let Connection { sender, receiver } = client;
    let replies = server.sender.clone();
    let ids = RequestIds::default();
    let writer_ids = ids.clone();
    thread::spawn(move || {
        let mut stdin = BufReader::new(io::stdin().lock());
        let to_loop = |message| sender.send(message).is_ok();
        let to_client = |message| replies.send(message).is_ok();
        read_loop(&mut stdin, &ids, to_loop, to_client);
    });
    let writer = thread::spawn(move || {
        let mut stdout = io::stdout().lock();
        for message in receiver {
            let written = writer_ids.write(message, &mut stdout);
            if let Err(error) = written.and_then(|()| stdout.flush()) {
                say!("rampart lsp: cannot write to the client: {error}");
                break;
            }
        }
    });
    (server, Transport { writer })
}

/// Reads frames until `exit`, the end of the input or a closed channel: messages go to the loop
/// (`to_loop`), refusals straight to the client (`to_client`); each says whether it delivered.
fn read_loop(
    input: &mut impl BufRead,
    ids: &RequestIds,
    to_loop: impl Fn(Message) -> bool,
    to_client: impl Fn(Message) -> bool,
) {
    loop {
        match read_frame(input, ids) {
            Ok(Frame::Message(message)) => {
                let is_exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if !to_loop(message) || is_exit {
                    break;
                }
            }
            Ok(Frame::Garbled(why)) => say!("rampart lsp: skipping a frame: {why}"),
            Ok(Frame::Moot) => {}
            Ok(Frame::Refused(id, code, why)) => {
                say!("rampart lsp: refusing a message: {why}");
                let response = Response::new_err(id, code as i32, why);
                if !to_client(Message::Response(response)) {
                    break;
                }
            }
            Ok(Frame::End) => break,
            Err(error) => {
                say!("rampart lsp: cannot read from the client: {error}");
                break;
            }
        }
    }
}

/// What one frame held.
enum Frame {
    /// A JSON-RPC message.
    Message(Message),
    /// Something unusable that gets no answer, described.
    Garbled(String),
    /// A message with nothing left to do: a cancellation of no request waiting for an answer.
    Moot,
    /// A body that is not a valid message: it gets an error response with this id and code.
    Refused(RequestId, ErrorCode, String),
    /// The input ended.
    End,
}

/// Reads one frame: headers up to an empty line, then `Content-Length` bytes of body.
fn read_frame(input: &mut impl BufRead, ids: &RequestIds) -> io::Result<Frame> {
    let Some(length) = read_headers(input)? else {
        return Ok(Frame::End);
    };
    let Some(length) = length else {
        return Ok(Frame::Garbled("no valid Content-Length header".to_string()));
    };
    if length > MAX_BODY_BYTES {
        io::copy(&mut input.take(length as u64), &mut io::sink())?;
        return Ok(Frame::Garbled(format!(
            "a {length}-byte message is too large"
        )));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    if let Some(rest) = body.strip_prefix(BYTE_ORDER_MARK) {
        body = rest.to_vec();
    }
    Ok(decode(&body, ids))
}

/// What `body` holds: a message for the loop, or why it is refused.
fn decode(body: &[u8], ids: &RequestIds) -> Frame {
    match serde_json::from_slice::<Message>(body) {
        Ok(message) => settle(message, body, ids),
        // JavaScript clients may send half of a surrogate pair (an edit that splits an emoji):
        // JSON that serde refuses. It reads as U+FFFD, one UTF-16 unit like the half it
        // replaces, so the positions of later edits stay in step with the client's text.
        Err(error) => match replace_lone_surrogates(body) {
            Some(repaired) => decode(&repaired, ids),
            None => refuse(body, &error, ids),
        },
    }
}

/// `message` as the loop may take it. `lsp_server` reads a request whose id it cannot hold as
/// a notification (it ignores the `id`): here it is a request again, under a stand-in id. The
/// body of a notification is read a second time for that only when it may hold an `id` key.
fn settle(message: Message, body: &[u8], ids: &RequestIds) -> Frame {
    match message {
        Message::Request(mut request) => {
            request.id = ids.checked(request.id);
            Frame::Message(request.into())
        }
        Message::Notification(notification) => match may_hold_id(body)
            .then(|| envelope(body))
            .flatten()
            .and_then(|e| e.id)
        {
            None if notification.method == CANCEL_REQUEST => cancellation(notification, ids),
            None => Frame::Message(notification.into()),
            Some(raw) if is_id(&raw) => Frame::Message(Message::Request(Request {
                id: ids.inbound(&raw),
                method: notification.method,
                params: notification.params,
            })),
            Some(raw) => Frame::Refused(
                ids.unknown(),
                ErrorCode::InvalidRequest,
                format!("`{}` is not a request id", raw.get()),
            ),
        },
        response @ Message::Response(_) => Frame::Message(response),
    }
}

/// A `$/cancelRequest` naming its request by the id the loop knows it by; nothing when the
/// request it names is one the loop knows by a stand-in and is answered or was never sent.
fn cancellation(mut notification: Notification, ids: &RequestIds) -> Frame {
    let named = notification.params.get("id").map(|id| ids.named(id));
    match named {
        Some(Some(id)) => {
            notification.params["id"] = serde_json::to_value(id).expect("a request id serializes");
            Frame::Message(notification.into())
        }
        Some(None) => Frame::Moot,
        // Parameters without an id: the loop ignores them.
        None => Frame::Message(notification.into()),
    }
}

/// Why `body`, which is not a message, is refused: a "parse error" when it is not JSON, an
/// "invalid request" (with its id when it has one) when it is. A malformed response from the
/// client gets no answer: answering answers could go on for ever.
fn refuse(body: &[u8], error: &serde_json::Error, ids: &RequestIds) -> Frame {
    if let Err(error) = serde_json::from_slice::<serde::de::IgnoredAny>(body) {
        let why = format!("not JSON: {error}");
        return Frame::Refused(ids.unknown(), ErrorCode::ParseError, why);
    }
    let envelope = envelope(body).unwrap_or_default();
    if envelope.result.is_some() || envelope.error.is_some() {
        return Frame::Garbled(format!("malformed response: {error}"));
    }
    let id = match envelope.id {
        Some(raw) if is_id(&raw) => ids.inbound(&raw),
        _ => ids.unknown(),
    };
    let why = format!("not a valid request: {error}");
    Frame::Refused(id, ErrorCode::InvalidRequest, why)
}

/// The members of a JSON-RPC object that say what it is, each as written when present (even as
/// `null`).
#[derive(Default, Deserialize)]
struct Envelope {
    #[serde(default, deserialize_with = "present")]
    id: Option<Box<RawValue>>,
    #[serde(default, deserialize_with = "present")]
    result: Option<Box<RawValue>>,
    #[serde(default, deserialize_with = "present")]
    error: Option<Box<RawValue>>,
}

fn present<'de, D: Deserializer<'de>>(value: D) -> Result<Option<Box<RawValue>>, D::Error> {
    Box::<RawValue>::deserialize(value).map(Some)
}

/// The envelope of `body` when it is a JSON object.
fn envelope(body: &[u8]) -> Option<Envelope> {
    // Only an object: serde would also read a struct from an array, by position.
    if !body.trim_ascii_start().starts_with(b"{") {
        return None;
    }
    serde_json::from_slice(body).ok()
}

/// False only when no string in `body` reads `id`, so that no key can be `id`: a byte search
/// for `"id"` in which each letter may also be written as a `\u` escape (`"\u0069d"` is a key
/// `id` to a JSON reader). Anything else between the quotes (`"i d"`, `"idx"`, `"ID"`) is
/// another key; spaces around the colon do not matter, being outside the quotes.
fn may_hold_id(body: &[u8]) -> bool {
    // Where `letter`, at `at`, ends, when it is there, plain or escaped.
    let letter = |at: usize, letter: u8| -> Option<usize> {
        if body.get(at) == Some(&letter) {
            return Some(at + 1);
        }
        let digits = body.get(at..at + 6)?.strip_prefix(b"\\u")?;
        let unit = u16::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()?;
        (unit == u16::from(letter)).then_some(at + 6)
    };
    let mut quotes = body.iter().enumerate().filter(|(_, byte)| **byte == b'"');
    quotes.any(|(at, _)| {
        letter(at + 1, b'i')
            .and_then(|at| letter(at, b'd'))
            .is_some_and(|at| body.get(at) == Some(&b'"'))
    })
}

/// True for what JSON-RPC allows as an id: a string, a number or `null`.
fn is_id(raw: &RawValue) -> bool {
    matches!(
        raw.get().as_bytes().first(),
        Some(b'"' | b'-' | b'0'..=b'9' | b'n')
    )
}

/// A UTF-8 byte order mark, which some clients put before a body.
const BYTE_ORDER_MARK: &[u8] = b"\xEF\xBB\xBF";

/// `body` with every `\u` escape of a lone UTF-16 surrogate (one not part of a pair) written
/// as `\uFFFD`; `None` when it has none.
fn replace_lone_surrogates(body: &[u8]) -> Option<Vec<u8>> {
    let escape_at = |at: usize| -> Option<u16> {
        let digits = body.get(at..at + 6)?.strip_prefix(b"\\u")?;
        u16::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
    };
    let is_high = |unit: u16| (0xD800..0xDC00).contains(&unit);
    let is_low = |unit: u16| (0xDC00..0xE000).contains(&unit);
    let mut out = Vec::with_capacity(body.len());
    let (mut at, mut replaced) = (0, false);
    while at < body.len() {
        match (body[at], escape_at(at)) {
            (_, Some(high)) if is_high(high) && escape_at(at + 6).is_some_and(is_low) => {
                out.extend_from_slice(&body[at..at + 12]);
                at += 12;
            }
            (_, Some(unit)) if is_high(unit) || is_low(unit) => {
                out.extend_from_slice(b"\\uFFFD");
                (at, replaced) = (at + 6, true);
            }
            // Any other escape is copied whole, so an escaped backslash is not read as the
            // start of another escape.
            (b'\\', _) => {
                out.extend_from_slice(body.get(at..at + 2).unwrap_or(&body[at..]));
                at += 2;
            }
            (byte, _) => {
                out.push(byte);
                at += 1;
            }
        }
    }
    replaced.then_some(out)
}

/// Reads one line into `line` (cleared first), up to and including its `\n`; of a line longer
/// than [`MAX_HEADER_LINE`] only the last [`KEPT_LINE_END`] bytes are kept, so that an endless
/// line takes no more memory. Returns false at the end of the input.
fn read_header_line(input: &mut impl BufRead, line: &mut Vec<u8>) -> io::Result<bool> {
    line.clear();
    let mut read_any = false;
    loop {
        let available = input.fill_buf()?;
        if available.is_empty() {
            return Ok(read_any);
        }
        read_any = true;
        let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
            Some(at) => (&available[..=at], true),
            None => (available, false),
        };
        line.extend_from_slice(chunk);
        let used = chunk.len();
        input.consume(used);
        if line.len() > MAX_HEADER_LINE {
            line.drain(..line.len() - KEPT_LINE_END);
        }
        if done {
            return Ok(true);
        }
    }
}

/// Reads header lines up to the empty line that ends them; returns the `Content-Length` if one
/// was valid, or `None` at the end of the input.
fn read_headers(input: &mut impl BufRead) -> io::Result<Option<Option<usize>>> {
    let mut length = None;
    let mut seen_header = false;
    let mut line = Vec::new();
    loop {
        if !read_header_line(input, &mut line)? {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        let header = text.trim_end_matches(['\r', '\n']);
        // After a body shorter or longer than its header said, the next header is glued to the
        // rest of it on one line: the frame starts again at the header.
        let header = match header.to_ascii_lowercase().rfind(CONTENT_LENGTH) {
            Some(at) => &header[at..],
            None => header,
        };
        if header.is_empty() {
            if seen_header {
                return Ok(Some(length));
            }
            continue;
        }
        seen_header = true;
        if let Some((name, value)) = header.split_once(':')
            && name
                .trim()
                .eq_ignore_ascii_case(&CONTENT_LENGTH[..CONTENT_LENGTH.len() - 1])
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<String> {
        let mut reader = io::Cursor::new(input.to_vec());
        let ids = RequestIds::default();
        let mut out = Vec::new();
        loop {
            match read_frame(&mut reader, &ids) {
                Ok(Frame::Message(Message::Request(r))) => {
                    out.push(format!("request {}", r.method))
                }
                Ok(Frame::Message(Message::Notification(n))) if n.method == CANCEL_REQUEST => {
                    out.push(format!("cancel {}", n.params["id"]))
                }
                Ok(Frame::Message(_)) => out.push("other".to_string()),
                Ok(Frame::Moot) => out.push("moot".to_string()),
                Ok(Frame::Refused(id, code, _)) => out.push(format!("refused {code:?} {id}")),
                Ok(Frame::Garbled(why)) => {
                    out.push(format!("garbled: {}", why.split(':').next().unwrap_or("")))
                }
                Ok(Frame::End) => return out,
                Err(error) => {
                    out.push(format!("error: {error}"));
                    return out;
                }
            }
        }
    }

    #[test]
    fn garbled_frames_are_skipped_and_reading_goes_on() {
        let ok = br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let mut input = Vec::new();
        input.extend_from_slice(b"Content-Length: 6\r\n\r\n{ oops");
        input.extend_from_slice(b"X-Nonsense\r\n\r\n");
        input.extend_from_slice(b"Content-Length: \xff\r\n\r\n");
        input.extend_from_slice(format!("Content-Length: {}\r\n\r\n", ok.len()).as_bytes());
        input.extend_from_slice(ok);
        input.extend_from_slice(b"Content-Length: 99999999999999\r\n\r\n");
        assert_eq!(
            frames(&input),
            [
                "refused ParseError \"rampart-request-id-1\"",
                "garbled: no valid Content-Length header",
                "garbled: no valid Content-Length header",
                "request shutdown",
                "garbled: a 99999999999999-byte message is too large",
            ]
        );
    }

    #[test]
    fn lone_surrogates_read_as_replacement_characters_and_pairs_stay_whole() {
        let fix = |text: &str| {
            replace_lone_surrogates(text.as_bytes()).map(|b| String::from_utf8(b).expect("UTF-8"))
        };
        assert_eq!(fix(r#""a\ud83db""#).as_deref(), Some(r#""a\uFFFDb""#));
        assert_eq!(
            fix(r#""\udc00\ud83d""#).as_deref(),
            Some(r#""\uFFFD\uFFFD""#)
        );
        assert_eq!(fix(r#""\ud83d\uddf3 \\ud83d \u0041""#), None);
        let edit = r#"{"jsonrpc":"2.0","method":"x","params":{"text":"\ud83d"}}"#;
        let mut input = format!("Content-Length: {}\r\n\r\n", edit.len()).into_bytes();
        input.extend_from_slice(edit.as_bytes());
        let mut reader = io::Cursor::new(input);
        let ids = RequestIds::default();
        let Ok(Frame::Message(Message::Notification(n))) = read_frame(&mut reader, &ids) else {
            panic!("the edit is read");
        };
        assert_eq!(n.params["text"], "\u{fffd}");
    }

    #[test]
    fn a_body_after_a_byte_order_mark_is_read() {
        let ok = "\u{feff}{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"shutdown\"}";
        let mut input = format!("Content-Length: {}\r\n\r\n", ok.len()).into_bytes();
        input.extend_from_slice(ok.as_bytes());
        assert_eq!(frames(&input), ["request shutdown"]);
    }

    #[test]
    fn a_request_that_is_not_a_valid_message_is_refused_by_its_id() {
        let bad = br#"{"jsonrpc":"2.0","id":5,"method":7}"#;
        let ok = br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let mut input = format!("Content-Length: {}\r\n\r\n", bad.len()).into_bytes();
        input.extend_from_slice(bad);
        input.extend_from_slice(format!("Content-Length: {}\r\n\r\n", ok.len()).as_bytes());
        input.extend_from_slice(ok);
        assert_eq!(
            frames(&input),
            ["refused InvalidRequest 5", "request shutdown"]
        );
    }

    fn framed(bodies: &[&str]) -> Vec<u8> {
        let frame = |body: &&str| format!("Content-Length: {}\r\n\r\n{body}", body.len());
        bodies.iter().map(frame).collect::<String>().into_bytes()
    }

    #[test]
    fn a_request_whose_id_lsp_server_cannot_hold_stays_a_request() {
        let input = framed(&[
            r#"{"jsonrpc":"2.0","id":2147483648,"method":"shutdown"}"#,
            r#"{"jsonrpc":"2.0","id":null,"method":"shutdown"}"#,
            r#"{"jsonrpc":"2.0","id":[1],"method":"shutdown"}"#,
        ]);
        let refused = "refused InvalidRequest \"rampart-request-id-3\"";
        assert_eq!(
            frames(&input),
            ["request shutdown", "request shutdown", refused]
        );
    }

    #[test]
    fn a_cancellation_names_the_request_by_the_id_the_loop_knows() {
        let input = framed(&[
            r#"{"jsonrpc":"2.0","id":2147483648,"method":"x"}"#,
            r#"{"jsonrpc":"2.0","id":"rampart-request-id-1","method":"x"}"#,
            r#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"rampart-request-id-1"}}"#,
            r#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":2147483648}}"#,
            r#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":7}}"#,
            r#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":4294967296}}"#,
            r#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{}}"#,
        ]);
        assert_eq!(
            frames(&input),
            [
                "request x",
                "request x",
                "cancel \"rampart-request-id-2\"",
                "cancel \"rampart-request-id-1\"",
                "cancel 7",
                "moot",
                "cancel null",
            ]
        );
    }

    #[test]
    fn only_a_body_without_an_id_key_skips_the_second_reading() {
        // The guard agrees with a JSON reader on keys that are `id`, however written, and on
        // keys that only look like it.
        for body in [
            r#"{"jsonrpc":"2.0","id":1,"method":"x"}"#,
            r#"{"jsonrpc":"2.0", "id" : 1, "method":"x"}"#,
            "{\"jsonrpc\":\"2.0\",\n\t\"id\"\r\n:\n1,\"method\":\"x\"}",
            r#"{"jsonrpc":"2.0","\u0069d":1,"method":"x"}"#,
            r#"{"jsonrpc":"2.0","i\u0064":1,"method":"x"}"#,
            r#"{"jsonrpc":"2.0","\u0069\u0064":1,"method":"x"}"#,
            r#"{"jsonrpc":"2.0","\u0049\u0044":1,"\u0069\u0044":1,"method":"x"}"#,
        ] {
            let holds = serde_json::from_slice::<Envelope>(body.as_bytes()).map(|e| e.id.is_some());
            assert_eq!(
                may_hold_id(body.as_bytes()),
                holds.is_ok_and(|id| id),
                "{body}"
            );
        }
        for body in [
            r#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"text":"x"}}"#,
            r#"{"jsonrpc":"2.0","method":"x","params":{"idx":1,"ID":2,"i d":3,"valid":4}}"#,
            r#"{"jsonrpc":"2.0","method":"x","params":{"text":"\u0069 \"\u0069"}}"#,
        ] {
            assert!(!may_hold_id(body.as_bytes()), "{body}");
        }
        // An escaped key `id` makes a request whose id lsp_server cannot hold a request still.
        let input = framed(&[r#"{"jsonrpc":"2.0","\u0069d":2147483648,"method":"shutdown"}"#]);
        assert_eq!(frames(&input), ["request shutdown"]);
    }

    #[test]
    fn json_that_is_not_a_message_is_refused_but_a_malformed_response_is_not_answered() {
        let input = framed(&[
            "[1, 2]",
            r#"{"jsonrpc":"2.0","id":null,"error":{"code":1}}"#,
        ]);
        assert_eq!(
            frames(&input),
            [
                "refused InvalidRequest \"rampart-request-id-1\"",
                "garbled: malformed response"
            ]
        );
    }

    #[test]
    fn an_endless_header_line_is_read_in_bounded_memory() {
        let ok = br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let mut input = vec![b'A'; 3 * MAX_HEADER_LINE];
        input.extend_from_slice(format!("Content-Length: {}\r\n\r\n", ok.len()).as_bytes());
        input.extend_from_slice(ok);
        let mut reader = io::Cursor::new(input);
        let mut line = Vec::new();
        assert!(read_header_line(&mut reader, &mut line).expect("read"));
        assert!(
            line.len() <= MAX_HEADER_LINE + KEPT_LINE_END,
            "{}",
            line.len()
        );
        // The header at the end of the long line still starts the next frame.
        reader.set_position(0);
        assert_eq!(frames(reader.get_ref()), ["request shutdown"]);
    }

    #[test]
    fn a_body_of_another_length_than_its_header_said_does_not_lose_the_next_frames() {
        let ok = br#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let frame = |length: &str| {
            let mut frame = format!("Content-Length: {length}\r\n\r\n").into_bytes();
            frame.extend_from_slice(ok);
            frame
        };
        let good = frame(&ok.len().to_string());
        for bad in [frame("abc"), frame("5"), frame(&(ok.len() - 1).to_string())] {
            let input = [bad, good.clone(), good.clone()].concat();
            let found = frames(&input);
            assert_eq!(
                found.iter().filter(|f| *f == "request shutdown").count(),
                2,
                "{found:?}"
            );
        }
    }
}
