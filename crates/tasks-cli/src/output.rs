//! Writing tasks to stdout: a table for people, JSON or NDJSON for programs.

use std::io::{self, Write};

use clap::ValueEnum;
use tasks_sdk::Task;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns, at most 100 characters wide (long fields are cut with `…`).
    Table,
    /// One JSON array of tasks.
    Json,
    /// One JSON object per line.
    Ndjson,
}

/// Table columns: (title, width); the last one takes what is left of 100.
const COLUMNS: [(&str, usize); 5] = [
    ("PROVIDER", 10),
    ("ID", 22),
    ("STATUS", 17),
    ("CREATED", 16),
    ("NAME", 31),
];

/// Writes tasks one at a time, so that a long listing is never held in memory.
pub struct Writer<W: Write> {
    out: W,
    format: Format,
    written: usize,
}

impl<W: Write> Writer<W> {
    pub fn new(out: W, format: Format) -> Self {
        Writer {
            out,
            format,
            written: 0,
        }
    }

    pub fn task(&mut self, task: &Task) -> io::Result<()> {
        match self.format {
            Format::Table => {
                if self.written == 0 {
                    let titles: Vec<&str> = COLUMNS.iter().map(|(t, _)| *t).collect();
                    self.row(&titles)?;
                }
                let created = task
                    .created_at
                    .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or_default();
                let name = task.name.as_deref().unwrap_or("");
                self.row(&[
                    task.provider,
                    &task.id,
                    task.status.as_str(),
                    &created,
                    name,
                ])?;
            }
            Format::Json => {
                self.out.write_all(if self.written == 0 {
                    b"[\n  "
                } else {
                    b",\n  "
                })?;
                serde_json::to_writer(&mut self.out, task)?;
            }
            Format::Ndjson => {
                serde_json::to_writer(&mut self.out, task)?;
                self.out.write_all(b"\n")?;
            }
        }
        self.written += 1;
        Ok(())
    }

    fn row(&mut self, cells: &[&str]) -> io::Result<()> {
        let mut line = String::new();
        for (i, (cell, (_, width))) in cells.iter().zip(COLUMNS).enumerate() {
            let cell = fit(cell, width);
            if i + 1 == COLUMNS.len() {
                line.push_str(&cell);
            } else {
                line.push_str(&format!("{cell:<width$} "));
            }
        }
        writeln!(self.out, "{}", line.trim_end())
    }

    /// Closes the JSON array (an empty listing is `[]`) and flushes.
    pub fn finish(mut self) -> io::Result<()> {
        if self.format == Format::Json {
            self.out
                .write_all(if self.written == 0 { b"[]\n" } else { b"\n]\n" })?;
        }
        self.out.flush()
    }
}

/// `text` in at most `width` characters, cut with `…`, on one line.
pub fn fit(text: &str, width: usize) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() <= width {
        return text;
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use tasks_sdk::TaskStatus;

    fn task(name: &str) -> Task {
        Task {
            provider: "twill",
            id: "tsk_0123456789abcdefghijklmnop".into(),
            name: Some(name.into()),
            status: TaskStatus::WaitingForInput,
            created_at: None,
            updated_at: None,
            raw: serde_json::json!({"id": 1}),
        }
    }

    fn render(format: Format, tasks: &[Task]) -> String {
        let mut out = Vec::new();
        let mut writer = Writer::new(&mut out, format);
        for t in tasks {
            writer.task(t).unwrap();
        }
        writer.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn table_rows_fit_in_100_columns() {
        let text = render(
            Format::Table,
            &[task(&"a very long name ".repeat(20)), task("short\nname")],
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("PROVIDER   ID"));
        for line in &lines {
            assert!(
                line.chars().count() <= 100,
                "{} chars: {line}",
                line.chars().count()
            );
        }
        assert!(lines[1].contains("tsk_0123456789abcdefg…"));
        assert!(lines[1].ends_with('…'));
        assert!(lines[2].ends_with("short name"));
    }

    #[test]
    fn json_is_one_array_and_ndjson_one_object_per_line() {
        let json: serde_json::Value =
            serde_json::from_str(&render(Format::Json, &[task("a"), task("b")])).unwrap();
        assert_eq!(json.as_array().unwrap().len(), 2);
        assert_eq!(json[0]["status"], "waiting_for_input");
        assert_eq!(render(Format::Json, &[]), "[]\n");
        let ndjson = render(Format::Ndjson, &[task("a"), task("b")]);
        let objects: Vec<serde_json::Value> = ndjson
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(objects[1]["name"], "b");
        assert_eq!(objects[1]["raw"], serde_json::json!({"id": 1}));
    }
}
