//! Writing tasks to stdout: a table for people, JSON or NDJSON for programs.

use std::io::{self, Write};

use clap::ValueEnum;
use comfy_table::{ColumnConstraint, ContentArrangement, Row, Table, Width, presets};
use tasks_sdk::Task;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns, at most 100 characters wide (long fields are cut with `…`),
    /// printed once every task is in (to size the columns).
    Table,
    /// One JSON array of tasks.
    Json,
    /// One JSON object per line, as the tasks arrive.
    Ndjson,
}

/// The widest a table gets.
pub const TABLE_WIDTH: u16 = 100;

/// The most of a kept column (see [`table`]) that is never cut: a UUID.
pub const KEEP_WIDTH: usize = 36;

const HEADER: [&str; 5] = ["PROVIDER", "ID", "STATUS", "CREATED", "NAME"];

/// Writes tasks: JSON and NDJSON one at a time, as they arrive, so that a long listing
/// is never held in memory; the table keeps only its cells, and is drawn by
/// [`Writer::finish`], when the widths of the columns are known.
pub struct Writer<W: Write> {
    out: W,
    format: Format,
    written: usize,
    rows: Vec<[String; 5]>,
}

impl<W: Write> Writer<W> {
    pub fn new(out: W, format: Format) -> Self {
        Writer {
            out,
            format,
            written: 0,
            rows: Vec::new(),
        }
    }

    pub fn task(&mut self, task: &Task) -> io::Result<()> {
        match self.format {
            Format::Table => {
                let created = task
                    .created_at
                    .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or_default();
                self.rows.push([
                    one_line(task.provider),
                    one_line(&task.id),
                    one_line(task.status.as_str()),
                    created,
                    one_line(task.name.as_deref().unwrap_or("")),
                ]);
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

    /// Flushes what was written so far.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Draws the table (with `no tasks` under its header when there are none), closes the
    /// JSON array (an empty listing is `[]`) and flushes. NDJSON prints nothing for none.
    /// `failed`: a provider failed, so an empty table is not "no tasks" and prints nothing
    /// (the errors on stderr say why).
    pub fn finish(mut self, failed: bool) -> io::Result<()> {
        match self.format {
            Format::Table => {
                let rows = std::mem::take(&mut self.rows);
                let empty = rows.is_empty();
                if empty && failed {
                    return self.out.flush();
                }
                let text = table(HEADER, rows, TABLE_WIDTH, Some(1));
                writeln!(self.out, "{text}")?;
                if empty {
                    writeln!(self.out, "no tasks")?;
                }
            }
            Format::Json => {
                self.out
                    .write_all(if self.written == 0 { b"[]\n" } else { b"\n]\n" })?;
            }
            Format::Ndjson => {}
        }
        self.out.flush()
    }
}

/// A borderless table of one line per row, at most `width` columns wide: comfy-table
/// sizes the columns and cuts what does not fit with `…`, except that column `keep`
/// keeps up to [`KEEP_WIDTH`] characters (an id is no use cut). No trailing spaces.
pub fn table<const N: usize>(
    header: [&str; N],
    rows: impl IntoIterator<Item = [String; N]>,
    width: u16,
    keep: Option<usize>,
) -> String {
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width)
        .set_truncation_indicator("…")
        .set_header(header.to_vec());
    for row in rows {
        let mut row = Row::from(row.to_vec());
        row.max_height(1);
        table.add_row(row);
    }
    let kept = keep.map(|i| {
        table
            .column_cells_with_header_iter(i)
            .flatten()
            .map(|cell| cell.content().chars().count())
            .max()
            .unwrap_or(0)
            .min(KEEP_WIDTH)
    });
    for column in table.column_iter_mut() {
        // Two spaces between columns, none before the first.
        column.set_padding((0, 2));
        if Some(column.index) == keep
            && let Some(kept) = kept
        {
            let kept = u16::try_from(kept).expect("at most KEEP_WIDTH") + 2;
            column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(kept)));
        }
    }
    table.trim_fmt()
}

/// `text` on one line: control characters (newlines, tabs, escapes) become spaces.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
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
        writer.finish(false).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn table_rows_fit_in_100_columns() {
        let text = render(
            Format::Table,
            &[task(&"a very long name ".repeat(20)), task("short\nname")],
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert_eq!(
            lines[0].split_whitespace().collect::<Vec<_>>(),
            HEADER,
            "{text}"
        );
        for line in &lines {
            assert!(
                line.chars().count() <= 100,
                "{} chars: {line}",
                line.chars().count()
            );
            assert_eq!(line.trim_end(), *line, "no trailing spaces");
        }
        assert!(
            lines[1].contains("tsk_0123456789abcdefghijklmnop"),
            "{text}"
        );
        assert!(lines[1].ends_with('…'), "{text}");
        assert!(lines[2].ends_with("short name"), "{text}");
    }

    #[test]
    fn an_empty_table_is_its_header_and_no_tasks() {
        let text = render(Format::Table, &[]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert_eq!(lines[0].split_whitespace().collect::<Vec<_>>(), HEADER);
        assert_eq!(lines[1], "no tasks");
        assert_eq!(render(Format::Ndjson, &[]), "");
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
