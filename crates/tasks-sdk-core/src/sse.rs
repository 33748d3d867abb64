//! The `text/event-stream` parser: the WHATWG HTML standard's "Interpreting an event
//! stream" (§9.2.6), fed the body's bytes as they arrive, in chunks cut anywhere.
//!
//! Written here rather than taken from a crate: `eventsource-stream` (the common
//! building block, last released in 2022) drops an event cut by the end of the stream
//! without a word, takes `retry: +5` (Rust's integer parsing allows a sign) and pulls in
//! `nom`; this is a hundred lines with none of that.

use std::collections::VecDeque;
use std::time::Duration;

/// The UTF-8 byte order mark, skipped at the start of the stream.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// An event as the stream dispatched it, its data not yet decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawEvent {
    /// The data lines joined by `\n`.
    pub(crate) data: String,
    /// The `event` field, if the event had a non-empty one.
    pub(crate) event: Option<String>,
    /// The last event ID string at dispatch (the standard's `lastEventId`), if not empty.
    pub(crate) id: Option<String>,
    /// The reconnection time the stream last set (`retry`), if it set one.
    pub(crate) retry: Option<Duration>,
}

/// The parser's state between chunks.
#[derive(Debug, Default)]
pub(crate) struct Parser {
    /// Whether the start of the stream (a BOM or not) is behind.
    started: bool,
    /// The bytes of the line being read (and, before `started`, of a possible BOM).
    line: Vec<u8>,
    /// The last byte ended a line with CR: a LF right after it belongs to that CRLF.
    after_cr: bool,
    /// The data buffer: each data line followed by `\n`.
    data: String,
    /// The event type buffer.
    event: String,
    /// The last event ID buffer, and the last event ID string (set at each dispatch).
    id_buffer: String,
    last_id: String,
    /// The reconnection time.
    retry: Option<Duration>,
}

impl Parser {
    /// A parser for a stream that resumes after `last_id` (a reconnection keeps the
    /// last event ID and the reconnection time).
    pub(crate) fn resuming(last_id: Option<&str>, retry: Option<Duration>) -> Self {
        let id = last_id.unwrap_or_default().to_owned();
        Parser {
            id_buffer: id.clone(),
            last_id: id,
            retry,
            ..Parser::default()
        }
    }

    /// The last event ID string (`Last-Event-ID` of a reconnection), if not empty.
    pub(crate) fn last_event_id(&self) -> Option<&str> {
        Some(self.last_id.as_str()).filter(|id| !id.is_empty())
    }

    /// The reconnection time the server set, if it did.
    pub(crate) fn retry(&self) -> Option<Duration> {
        self.retry
    }

    /// The bytes held for an event not yet dispatched: what an event size limit counts.
    pub(crate) fn pending_len(&self) -> usize {
        self.line.len() + self.data.len() + self.event.len()
    }

    /// Whether the stream is in the middle of an event (or of a line): its end now
    /// would cut it.
    pub(crate) fn in_event(&self) -> bool {
        (self.started && !self.line.is_empty()) || !self.data.is_empty() || !self.event.is_empty()
    }

    /// Reads `chunk`, appending each event it completes to `out`.
    pub(crate) fn feed(&mut self, mut chunk: &[u8], out: &mut VecDeque<RawEvent>) {
        if !self.started {
            // Hold the first bytes until they are known to be a BOM or not.
            let wanted = (BOM.len() - self.line.len()).min(chunk.len());
            self.line.extend_from_slice(&chunk[..wanted]);
            chunk = &chunk[wanted..];
            if BOM.starts_with(&self.line) && self.line.len() < BOM.len() {
                return;
            }
            self.started = true;
            let held = std::mem::take(&mut self.line);
            if held != BOM {
                self.feed(&held, out);
            }
        }
        while !chunk.is_empty() {
            if self.after_cr {
                self.after_cr = false;
                if chunk[0] == b'\n' {
                    chunk = &chunk[1..];
                    continue;
                }
            }
            match chunk.iter().position(|&b| b == b'\n' || b == b'\r') {
                None => {
                    self.line.extend_from_slice(chunk);
                    return;
                }
                Some(end) => {
                    self.after_cr = chunk[end] == b'\r';
                    if self.line.is_empty() {
                        self.line_done(&chunk[..end], out);
                    } else {
                        self.line.extend_from_slice(&chunk[..end]);
                        let line = std::mem::take(&mut self.line);
                        self.line_done(&line, out);
                        // Keep the allocation for the next long line.
                        self.line = line;
                        self.line.clear();
                    }
                    chunk = &chunk[end + 1..];
                }
            }
        }
    }

    /// One line, without its end.
    fn line_done(&mut self, line: &[u8], out: &mut VecDeque<RawEvent>) {
        if line.is_empty() {
            if let Some(event) = self.dispatch() {
                out.push_back(event);
            }
            return;
        }
        // The stream is UTF-8, replacement characters for what is not: a line boundary
        // never falls inside a character (CR and LF are never part of one).
        let line = String::from_utf8_lossy(line);
        let (field, value) = match line.find(':') {
            Some(0) => return, // A comment.
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(' ').unwrap_or(value))
            }
            None => (&line[..], ""),
        };
        match field {
            "event" => {
                self.event.clear();
                self.event.push_str(value);
            }
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            "id" if !value.contains('\0') => {
                self.id_buffer.clear();
                self.id_buffer.push_str(value);
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                // Digits only; a value too large for a u64 is ignored like a malformed one.
                if let Ok(ms) = value.parse::<u64>() {
                    self.retry = Some(Duration::from_millis(ms));
                }
            }
            _ => {}
        }
    }

    /// The event of the buffers, at an empty line; none when no data line came.
    fn dispatch(&mut self) -> Option<RawEvent> {
        if self.last_id != self.id_buffer {
            self.last_id.clone_from(&self.id_buffer);
        }
        let event = std::mem::take(&mut self.event);
        if self.data.is_empty() {
            return None;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop(); // The last data line's `\n`.
        Some(RawEvent {
            data,
            event: Some(event).filter(|e| !e.is_empty()),
            id: self.last_event_id().map(str::to_owned),
            retry: self.retry,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(chunks: &[&[u8]]) -> (Vec<RawEvent>, Parser) {
        let mut parser = Parser::default();
        let mut out = VecDeque::new();
        for chunk in chunks {
            parser.feed(chunk, &mut out);
        }
        (out.into_iter().collect(), parser)
    }

    fn data(chunks: &[&[u8]]) -> Vec<String> {
        events(chunks).0.into_iter().map(|e| e.data).collect()
    }

    fn event(data: &str) -> RawEvent {
        RawEvent {
            data: data.to_owned(),
            event: None,
            id: None,
            retry: None,
        }
    }

    /// Every way of cutting `stream` in two and in three gives the events of the whole.
    fn same_at_every_split(stream: &[u8]) -> Vec<RawEvent> {
        let (whole, _) = events(&[stream]);
        for i in 0..=stream.len() {
            let (split, _) = events(&[&stream[..i], &stream[i..]]);
            assert_eq!(
                split,
                whole,
                "cut at {i} of {:?}",
                String::from_utf8_lossy(stream)
            );
            for j in i..=stream.len() {
                let (split, _) = events(&[&stream[..i], &stream[i..j], &stream[j..]]);
                assert_eq!(split, whole, "cut at {i} and {j}");
            }
        }
        let bytes: Vec<&[u8]> = stream.chunks(1).collect();
        assert_eq!(events(&bytes).0, whole, "one byte at a time");
        whole
    }

    #[test]
    fn the_standard_s_examples() {
        // WHATWG HTML §9.2.6's examples.
        let stream = b"data: YHOO\ndata: +2\ndata: 10\n\n";
        assert_eq!(same_at_every_split(stream), vec![event("YHOO\n+2\n10")]);

        let stream = b": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n";
        let got = same_at_every_split(stream);
        assert_eq!(
            got,
            vec![
                RawEvent {
                    id: Some("1".into()),
                    ..event("first event")
                },
                event("second event"),
                event(" third event"),
            ]
        );

        let stream = b"data\n\ndata\ndata\n\ndata:";
        let (got, parser) = events(&[stream]);
        assert_eq!(got, vec![event(""), event("\n")]);
        assert!(parser.in_event(), "the last event is cut");

        let stream = b"data:test\n\ndata: test\n\n";
        assert_eq!(
            same_at_every_split(stream),
            vec![event("test"), event("test")]
        );
    }

    #[test]
    fn crlf_cr_and_lf_end_lines_even_split_between_chunks() {
        for stream in [
            &b"event: a\r\ndata: 1\r\ndata: 2\r\n\r\n"[..],
            b"event: a\rdata: 1\rdata: 2\r\r",
            b"event: a\ndata: 1\ndata: 2\n\n",
            b"event: a\r\ndata: 1\rdata: 2\n\r\n",
        ] {
            let got = same_at_every_split(stream);
            assert_eq!(
                got,
                vec![RawEvent {
                    event: Some("a".into()),
                    ..event("1\n2")
                }],
                "{:?}",
                String::from_utf8_lossy(stream)
            );
        }
        // CR then LF in the next chunk is one line end, not an empty line.
        assert_eq!(data(&[b"data: 1\r", b"\ndata: 2\r\n\r\n"]), vec!["1\n2"]);
    }

    #[test]
    fn a_leading_bom_is_skipped_once_even_split() {
        let stream = b"\xEF\xBB\xBFdata: x\n\n";
        assert_eq!(same_at_every_split(stream), vec![event("x")]);
        // A second BOM is part of the first line: a field named "\u{feff}data".
        assert_eq!(
            data(&[b"\xEF\xBB\xBF\xEF\xBB\xBFdata: x\n\n"]),
            Vec::<String>::new()
        );
        // A start that only looks like a BOM's is kept.
        assert_eq!(data(&[b"\xEF", b"data: x\n\n"]), Vec::<String>::new());
        assert_eq!(data(&[b"da", b"ta: x\n\n"]), vec!["x"]);
        assert_eq!(data(&[b"\n", b"data: x\n\n"]), vec!["x"]);
        // A stream shorter than a BOM, then nothing.
        let (got, parser) = events(&[b"\xEF\xBB"]);
        assert!(got.is_empty() && !parser.in_event());
    }

    #[test]
    fn ids_retry_comments_and_unknown_fields() {
        let stream = b": comment\nid: 7\nretry: 1500\nfoo: bar\nevent: tick\ndata: a\n\n\
                       data: b\n\n\
                       id: 8\0\nretry: 15x\nretry: +5\nretry:\ndata: c\n\n\
                       id\ndata: d\n\n";
        let got = same_at_every_split(stream);
        let retry = Some(Duration::from_millis(1500));
        assert_eq!(
            got,
            vec![
                RawEvent {
                    data: "a".into(),
                    event: Some("tick".into()),
                    id: Some("7".into()),
                    retry,
                },
                RawEvent {
                    id: Some("7".into()),
                    retry,
                    ..event("b")
                },
                // An id with NUL is ignored; malformed retries too.
                RawEvent {
                    id: Some("7".into()),
                    retry,
                    ..event("c")
                },
                // An empty id resets it.
                RawEvent {
                    retry,
                    ..event("d")
                },
            ]
        );
        // A block without data dispatches nothing, but its id sticks.
        let (got, parser) = events(&[b"id: 9\nevent: x\n\n"]);
        assert!(got.is_empty());
        assert_eq!(parser.last_event_id(), Some("9"));
        assert!(!parser.in_event());
    }

    #[test]
    fn invalid_utf8_is_replaced_not_fatal() {
        assert_eq!(data(&[b"data: a\xFFb\n\n"]), vec!["a\u{FFFD}b"]);
        // A character split between chunks is whole again.
        let euro = "data: \u{20AC}\n\n".as_bytes();
        assert_eq!(same_at_every_split(euro), vec![event("\u{20AC}")]);
    }

    #[test]
    fn the_end_of_the_stream_cuts_an_event_or_not() {
        for (stream, cut) in [
            (&b"data: x\n\n"[..], false),
            (b": keep-alive\n", false),
            (b"data: x\n", true),
            (b"data: x", true),
            (b"event: x\n", true),
            (b"data: x\n\nda", true),
            (b"", false),
        ] {
            assert_eq!(events(&[stream]).1.in_event(), cut, "{stream:?}");
        }
    }
}
