//! Request ids that `lsp_server::RequestId` cannot hold: numbers outside `i32` (`2147483648`,
//! `1e400`), fractions and `null`. JSON-RPC allows them, so a request that carries one is given a
//! reserved string id (a stand-in) for the loop, and its response is written with the client's
//! id again, byte for byte as the client wrote it.
//!
//! Owns the table between stand-ins and the clients' ids; knows nothing of frames or methods.
//! A client's own string id that happens to look like a stand-in gets a stand-in as well, so the
//! two can never be confused; a `$/cancelRequest` names its request by the client's id, which is
//! turned into the id the loop knows it by ([`RequestIds::named`]).

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::{Arc, Mutex, PoisonError};

use lsp_server::{Message, RequestId, Response, ResponseError};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// How every stand-in id starts.
const STAND_IN_PREFIX: &str = "rampart-request-id-";

/// Stand-in ids and the clients' ids they stand for, shared by the input and output threads.
#[derive(Clone, Default)]
pub(crate) struct RequestIds {
    table: Arc<Mutex<Table>>,
}

#[derive(Default)]
struct Table {
    issued: u64,
    originals: HashMap<String, Box<RawValue>>,
}

impl RequestIds {
    /// The id under which the loop sees the request whose id the client wrote as `raw`.
    pub(crate) fn inbound(&self, raw: &RawValue) -> RequestId {
        match serde_json::from_str::<RequestId>(raw.get()) {
            Ok(id) if stand_in_key(&id).is_none() => id,
            _ => self.stand_in(raw.to_owned()),
        }
    }

    /// The id of a request already read by `lsp_server`, replaced when it looks like a stand-in.
    pub(crate) fn checked(&self, id: RequestId) -> RequestId {
        if stand_in_key(&id).is_none() {
            return id;
        }
        let raw = serde_json::value::to_raw_value(&id).expect("a request id serializes");
        self.stand_in(raw)
    }

    /// The id under which the loop saw the request the client calls `id` (as a
    /// `$/cancelRequest` names it): `id` itself when the loop can hold it, else the stand-in of
    /// the request with that id that waits for its answer, if one does.
    pub(crate) fn named(&self, id: &serde_json::Value) -> Option<RequestId> {
        if let Ok(plain) = RequestId::deserialize(id)
            && stand_in_key(&plain).is_none()
        {
            return Some(plain);
        }
        let table = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        let same = |raw: &RawValue| serde_json::from_str::<serde_json::Value>(raw.get()).ok();
        (table.originals.iter())
            .find(|(_, raw)| same(raw).as_ref() == Some(id))
            .map(|(key, _)| RequestId::from(key.clone()))
    }

    /// The id of a response to a request whose id could not be read: `null`.
    pub(crate) fn unknown(&self) -> RequestId {
        let null = RawValue::from_string("null".to_string()).expect("`null` is JSON");
        self.stand_in(null)
    }

    fn stand_in(&self, raw: Box<RawValue>) -> RequestId {
        let mut table = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        table.issued += 1;
        let id = format!("{STAND_IN_PREFIX}{}", table.issued);
        table.originals.insert(id.clone(), raw);
        RequestId::from(id)
    }

    /// Writes `message` as one frame, a response with the client's own id.
    pub(crate) fn write(&self, message: Message, out: &mut impl Write) -> io::Result<()> {
        let Message::Response(response) = message else {
            return message.write(out);
        };
        match self.take_original(&response.id) {
            Some(id) => write_reply(&id, response, out),
            None => Message::Response(response).write(out),
        }
    }

    fn take_original(&self, id: &RequestId) -> Option<Box<RawValue>> {
        let key = stand_in_key(id)?;
        let mut table = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        table.originals.remove(&key)
    }
}

/// The text of `id` when it has the form of a stand-in.
fn stand_in_key(id: &RequestId) -> Option<String> {
    match serde_json::to_value(id) {
        Ok(serde_json::Value::String(key)) if key.starts_with(STAND_IN_PREFIX) => Some(key),
        _ => None,
    }
}

/// A response as JSON-RPC writes it, with an id of any form.
#[derive(Serialize)]
struct Reply<'a> {
    jsonrpc: &'static str,
    id: &'a RawValue,
    #[serde(skip_serializing_if = "Option::is_none")]
    result: Option<&'a serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a ResponseError>,
}

fn write_reply(id: &RawValue, response: Response, out: &mut impl Write) -> io::Result<()> {
    let reply = Reply {
        jsonrpc: "2.0",
        id,
        result: response.response_result.as_ref().ok(),
        error: response.response_result.as_ref().err(),
    };
    let text = serde_json::to_string(&reply)?;
    write!(out, "Content-Length: {}\r\n\r\n", text.len())?;
    out.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(ids: &RequestIds, response: Response) -> String {
        let mut out = Vec::new();
        ids.write(response.into(), &mut out).expect("written");
        let text = String::from_utf8(out).expect("UTF-8");
        text.split_once("\r\n\r\n").expect("a frame").1.to_string()
    }

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_string()).expect("JSON")
    }

    #[test]
    fn ids_lsp_server_can_hold_are_kept() {
        let ids = RequestIds::default();
        assert_eq!(ids.inbound(&raw("-7")), RequestId::from(-7));
        assert_eq!(
            ids.inbound(&raw(r#""x""#)),
            RequestId::from("x".to_string())
        );
    }

    #[test]
    fn other_ids_are_written_back_as_the_client_wrote_them() {
        let ids = RequestIds::default();
        for text in [
            "2147483648",
            "1e400",
            "-0.5",
            "null",
            r#""rampart-request-id-1""#,
        ] {
            let id = ids.inbound(&raw(text));
            let reply = written(&ids, Response::new_ok(id, ()));
            assert_eq!(
                reply,
                format!(r#"{{"jsonrpc":"2.0","id":{text},"result":null}}"#)
            );
        }
        assert!(ids.table.lock().expect("lock").originals.is_empty());
    }

    #[test]
    fn a_client_id_names_the_request_the_loop_knows() {
        let ids = RequestIds::default();
        let large = ids.inbound(&raw("2147483648"));
        let look_alike = ids.inbound(&raw(r#""rampart-request-id-1""#));
        let named = |id: serde_json::Value| ids.named(&id);
        assert_eq!(named(serde_json::json!(7)), Some(RequestId::from(7)));
        assert_eq!(
            named(serde_json::json!(2147483648_u64)),
            Some(large.clone())
        );
        // The client's own string is not taken for the stand-in it looks like.
        assert_ne!(
            look_alike,
            RequestId::from("rampart-request-id-1".to_string())
        );
        assert_eq!(
            named(serde_json::json!("rampart-request-id-1")),
            Some(look_alike)
        );
        // Once answered, or never sent, a request the loop knows by a stand-in is not found.
        written(&ids, Response::new_ok(large, ()));
        assert_eq!(named(serde_json::json!(2147483648_u64)), None);
        assert_eq!(named(serde_json::json!("rampart-request-id-9")), None);
        assert_eq!(named(serde_json::json!(null)), None);
    }
}
